using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Appliances.Planning;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>
    /// Plans the change from what a device shapes to the desired policy with the shared
    /// <see cref="DesiredStatePlanner{T}"/>. The desired classes apply to every shaped interface, so
    /// they are planned once per interface ("video on eth1"); classes are ordered (the first match
    /// wins, so a class out of place is a Move), and every class read from what RemoteOps owns may
    /// be removed.
    /// </summary>
    public static class BandwidthPolicyPlanner
    {
        /// <summary>Plans; <paramref name="desired"/> must be canonical (see <see cref="BandwidthPolicyValidator.Normalize"/>).</summary>
        public static BandwidthPlan Plan(BandwidthState current, BandwidthPolicy desired, IReadOnlyList<string> interfaces)
        {
            if (current == null)
            {
                throw new ArgumentNullException(nameof(current));
            }

            if (desired == null)
            {
                throw new ArgumentNullException(nameof(desired));
            }

            var links = new DesiredStatePlanner<BandwidthLink>(l => l.Interface, CompareLinks);
            var classes = new DesiredStatePlanner<BandwidthClass>(Key, CompareClasses)
            {
                Ordered = true,

                // Only the classes of RemoteOps's own table and HTB tree are read, so every one of them is RemoteOps's to remove.
                Owns = _ => true,
            };

            List<BandwidthLink> wantedLinks = interfaces.Select(i => new BandwidthLink { Interface = i, Rate = desired.LinkRate }).ToList();
            List<BandwidthClass> wantedClasses = interfaces.SelectMany(i => desired.Classes.Select(c => OnInterface(c, i))).ToList();
            return new BandwidthPlan(links.Plan(current.Links, wantedLinks), classes.Plan(current.Classes, wantedClasses));
        }

        /// <summary>A class's plan key: "video on eth1".</summary>
        public static string Key(BandwidthClass item) => item.Name + " on " + item.Interface;

        /// <summary>The properties that differ; address, port and DSCP lists compare as sets (the device sorts them).</summary>
        public static IReadOnlyList<PropertyChange> CompareClasses(BandwidthClass current, BandwidthClass desired)
        {
            var changes = new List<PropertyChange>();
            Compare(changes, "GuaranteedRate", current.GuaranteedRate, desired.GuaranteedRate);
            Compare(changes, "CeilingRate", current.CeilingRate, desired.CeilingRate);
            Compare(changes, "Priority", current.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture), desired.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Compare(changes, "Default", current.Default ? "true" : "false", desired.Default ? "true" : "false");
            Compare(changes, "Protocol", current.Protocol.ToString(), desired.Protocol.ToString());
            CompareSets(changes, "Source", current.Source, desired.Source);
            CompareSets(changes, "Destination", current.Destination, desired.Destination);
            CompareSets(changes, "Ports", current.Ports, desired.Ports);
            CompareSets(changes, "SourcePorts", current.SourcePorts, desired.SourcePorts);
            CompareSets(changes, "Dscp", current.Dscp, desired.Dscp);
            return changes;
        }

        private static IReadOnlyList<PropertyChange> CompareLinks(BandwidthLink current, BandwidthLink desired)
        {
            var changes = new List<PropertyChange>();
            Compare(changes, "LinkRate", current.Rate, desired.Rate);
            return changes;
        }

        private static BandwidthClass OnInterface(BandwidthClass item, string name)
        {
            BandwidthClass copy = item.Clone();
            copy.Interface = name;
            return copy;
        }

        private static void Compare(List<PropertyChange> changes, string name, string from, string to)
        {
            if (!string.Equals(from ?? string.Empty, to ?? string.Empty, StringComparison.Ordinal))
            {
                changes.Add(new PropertyChange(name, string.IsNullOrEmpty(from) ? null : from, string.IsNullOrEmpty(to) ? null : to));
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
