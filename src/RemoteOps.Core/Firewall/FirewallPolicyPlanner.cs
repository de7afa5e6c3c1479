using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Appliances.Planning;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// Plans the change from the policy a firewall holds to the desired one with the shared
    /// <see cref="DesiredStatePlanner{T}"/>: rules are ordered (a rule out of place is a Move)
    /// and every rule read from the RemoteOps-owned part of the firewall may be removed.
    /// </summary>
    public static class FirewallPolicyPlanner
    {
        /// <summary>Plans; both policies must be canonical (read from the device, or from <see cref="FirewallPolicyValidator.Normalize"/>).</summary>
        public static FirewallPlan Plan(FirewallPolicy current, FirewallPolicy desired)
        {
            if (current == null)
            {
                throw new ArgumentNullException(nameof(current));
            }

            if (desired == null)
            {
                throw new ArgumentNullException(nameof(desired));
            }

            var objects = new DesiredStatePlanner<FirewallAddressObject>(o => o.Name, CompareObjects) { Owns = _ => true };
            var rules = new DesiredStatePlanner<FirewallRule>(r => r.Name, CompareRules)
            {
                Ordered = true,

                // The current policy is read only from the table RemoteOps owns, so every rule in
                // it is RemoteOps's to remove; rules elsewhere on the firewall are never read.
                Owns = _ => true,
            };

            return new FirewallPlan(
                objects.Plan(current.AddressObjects, desired.AddressObjects),
                rules.Plan(EvaluationOrder(current.Rules), EvaluationOrder(desired.Rules)))
            {
                Current = current,
            };
        }

        /// <summary>
        /// Rules in the order that matters on the device: Input before Forward (the chains are
        /// separate lists), enabled before disabled (a disabled rule has no position). Stable, so
        /// the order within each group is kept.
        /// </summary>
        public static IReadOnlyList<FirewallRule> EvaluationOrder(IEnumerable<FirewallRule> rules) =>
            (rules ?? Enumerable.Empty<FirewallRule>()).Select((r, i) => new { r, i })
                .OrderBy(x => x.r.Chain).ThenBy(x => x.r.Enabled ? 0 : 1).ThenBy(x => x.i)
                .Select(x => x.r).ToList();

        /// <summary>The properties that differ; addresses and ports compare as sets (the device sorts them).</summary>
        public static IReadOnlyList<PropertyChange> CompareRules(FirewallRule current, FirewallRule desired)
        {
            var changes = new List<PropertyChange>();
            Compare(changes, "Action", current.Action.ToString(), desired.Action.ToString());
            Compare(changes, "Chain", current.Chain.ToString(), desired.Chain.ToString());
            Compare(changes, "Enabled", current.Enabled ? "true" : "false", desired.Enabled ? "true" : "false");
            Compare(changes, "Protocol", current.Protocol.ToString(), desired.Protocol.ToString());
            CompareSets(changes, "Source", current.Source, desired.Source);
            CompareSets(changes, "Destination", current.Destination, desired.Destination);
            CompareSets(changes, "Ports", current.Ports, desired.Ports);
            Compare(changes, "Comment", current.Comment ?? string.Empty, desired.Comment ?? string.Empty);
            return changes;
        }

        private static IReadOnlyList<PropertyChange> CompareObjects(FirewallAddressObject current, FirewallAddressObject desired)
        {
            var changes = new List<PropertyChange>();
            CompareSets(changes, "Addresses", current.Addresses, desired.Addresses);
            return changes;
        }

        private static void Compare(List<PropertyChange> changes, string name, string from, string to)
        {
            if (!string.Equals(from, to, StringComparison.Ordinal))
            {
                changes.Add(new PropertyChange(name, from.Length == 0 ? null : from, to.Length == 0 ? null : to));
            }
        }

        private static void CompareSets(List<PropertyChange> changes, string name, IList<string> from, IList<string> to)
        {
            var a = new HashSet<string>(from ?? new List<string>(), StringComparer.Ordinal);
            var b = new HashSet<string>(to ?? new List<string>(), StringComparer.Ordinal);
            if (!a.SetEquals(b))
            {
                changes.Add(new PropertyChange(name, Show(from), Show(to)));
            }
        }

        private static string Show(IList<string> values) => values == null || values.Count == 0 ? "any" : string.Join(", ", values);
    }
}
