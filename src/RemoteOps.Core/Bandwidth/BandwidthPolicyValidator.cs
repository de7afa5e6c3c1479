using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>
    /// Checks a desired shaping policy before anything is sent to a device, and returns it in
    /// canonical form (rates, addresses, ports and DSCP values as the device prints them back, the
    /// default class last). Every refusal names the class, the bad value and what is valid.
    /// </summary>
    public static class BandwidthPolicyValidator
    {
        /// <summary>The priority of a class that gives none.</summary>
        public const int DefaultPriority = 4;

        /// <summary>The most classes a policy may have.</summary>
        public const int MaxClasses = 200;

        /// <summary>Validates and returns a canonical copy; the input is not changed. No classes means no shaping at all.</summary>
        /// <exception cref="ArgumentException">The policy or a class is not valid; the message says which and why.</exception>
        public static BandwidthPolicy Normalize(BandwidthPolicy policy)
        {
            if (policy == null)
            {
                throw new ArgumentNullException(nameof(policy));
            }

            var classes = (policy.Classes ?? new List<BandwidthClass>()).ToList();
            if (classes.Count == 0)
            {
                return new BandwidthPolicy();
            }

            if (classes.Count > MaxClasses)
            {
                throw new ArgumentException($"The policy has {classes.Count} classes; at most {MaxClasses} are supported.");
            }

            if (string.IsNullOrWhiteSpace(policy.LinkRate))
            {
                throw new ArgumentException("LinkRate is missing: give the rate of the shaped link (\"50mbit\", \"1gbit\"); the classes share it.");
            }

            long link = ParseRate(policy.LinkRate, "LinkRate");
            var result = new BandwidthPolicy { LinkRate = BandwidthRate.Format(link) };
            var names = new HashSet<string>(StringComparer.Ordinal);
            long guaranteed = 0;
            int position = 0;
            foreach (BandwidthClass item in classes)
            {
                position++;
                if (item == null)
                {
                    throw new ArgumentException($"Class {position} is empty.");
                }

                BandwidthClass normal = NormalizeClass(item, link, out long rate);
                if (!names.Add(normal.Name))
                {
                    throw new ArgumentException($"The class name '{normal.Name}' is used twice (class {position} and an earlier one); class names must be unique.");
                }

                guaranteed += rate;
                result.Classes.Add(normal);
            }

            List<BandwidthClass> defaults = result.Classes.Where(c => c.Default).ToList();
            if (defaults.Count != 1)
            {
                throw new ArgumentException(defaults.Count == 0
                    ? "No class is the Default class; mark exactly one class Default = $true (it takes all traffic no other class matches, and has no match of its own)."
                    : $"{defaults.Count} classes are marked Default ({string.Join(", ", defaults.Select(c => c.Name))}); mark exactly one.");
            }

            if (guaranteed > link)
            {
                throw new ArgumentException($"The guaranteed rates add up to {BandwidthRate.Format(guaranteed)} ({string.Join(" + ", result.Classes.Select(c => $"{c.Name} {c.GuaranteedRate}"))}), more than the LinkRate {result.LinkRate}; lower them so the link can keep every guarantee.");
            }

            // The default class takes what no other class matches, so it is evaluated last wherever it was listed.
            result.Classes = result.Classes.Where(c => !c.Default).Concat(defaults).ToList();
            return result;
        }

        private static BandwidthClass NormalizeClass(BandwidthClass item, long link, out long guaranteed)
        {
            if (!FirewallPolicyValidator.IsRuleName(item.Name))
            {
                throw new ArgumentException($"'{item.Name}' is not a valid class name: use 1-64 letters, digits, '_', '-' or '.', starting with a letter.");
            }

            string where = $"Class '{item.Name}'";
            if (string.IsNullOrWhiteSpace(item.GuaranteedRate))
            {
                throw new ArgumentException($"{where} has no GuaranteedRate; give the rate it always gets (\"10mbit\").");
            }

            guaranteed = ParseRate(item.GuaranteedRate, $"{where}: GuaranteedRate");
            long ceiling = string.IsNullOrWhiteSpace(item.CeilingRate) ? link : ParseRate(item.CeilingRate, $"{where}: CeilingRate");
            if (ceiling > link)
            {
                throw new ArgumentException($"{where}: CeilingRate '{item.CeilingRate}' is above the LinkRate {BandwidthRate.Format(link)}; a class cannot borrow more than the link has.");
            }

            if (guaranteed > ceiling)
            {
                throw new ArgumentException($"{where}: GuaranteedRate '{item.GuaranteedRate}' is above its CeilingRate {BandwidthRate.Format(ceiling)}; the ceiling must be at least the guaranteed rate.");
            }

            if (item.Priority < 0 || item.Priority > 7)
            {
                throw new ArgumentException($"{where}: Priority {item.Priority} is not valid; use 0 (gets spare bandwidth first) to 7 (last).");
            }

            if (!Enum.IsDefined(typeof(FirewallProtocol), item.Protocol))
            {
                throw new ArgumentException($"{where}: Protocol '{item.Protocol}' is not one of {string.Join(", ", Enum.GetNames(typeof(FirewallProtocol)))}.");
            }

            BandwidthClass normal = item.Clone();
            normal.Appliance = null;
            normal.Interface = null;
            normal.ClassId = null;
            normal.GuaranteedRate = BandwidthRate.Format(guaranteed);
            normal.CeilingRate = BandwidthRate.Format(ceiling);
            normal.Source = Addresses(item.Source, $"{where}: Source");
            normal.Destination = Addresses(item.Destination, $"{where}: Destination");
            normal.Ports = Ports(item.Ports, item.Protocol, $"{where}: Ports");
            normal.SourcePorts = Ports(item.SourcePorts, item.Protocol, $"{where}: SourcePorts");
            normal.Dscp = DscpValues(item.Dscp, $"{where}: Dscp");
            if (normal.Default && normal.HasMatch)
            {
                throw new ArgumentException($"{where} is the Default class and also has a match ({normal.MatchText}); the default class takes all other traffic, so give it no Source, Destination, Protocol, Ports or Dscp.");
            }

            if (!normal.Default && !normal.HasMatch)
            {
                throw new ArgumentException($"{where} has no match, so it would take all traffic and every class after it would be empty; give it Source, Destination, Protocol, Ports, SourcePorts or Dscp, or make it the Default class.");
            }

            return normal;
        }

        private static long ParseRate(string value, string where)
        {
            try
            {
                return BandwidthRate.Parse(value);
            }
            catch (FormatException bad)
            {
                throw new ArgumentException($"{where}: {bad.Message}.");
            }
        }

        private static IList<string> Addresses(IList<string> values, string where)
        {
            var parsed = new List<FirewallAddress>();
            foreach (string value in values ?? new List<string>())
            {
                FirewallAddress address;
                try
                {
                    address = FirewallAddress.Parse(value);
                }
                catch (FormatException bad)
                {
                    throw new ArgumentException($"{where}: {bad.Message}.");
                }

                if (address.IsObject)
                {
                    throw new ArgumentException($"{where}: '{value}' is not an IPv4 address, CIDR network (10.0.0.0/8) or range (10.0.0.1-10.0.0.9); classes do not use address objects.");
                }

                FirewallAddress clash = parsed.FirstOrDefault(p => p.Overlaps(address));
                if (clash != null)
                {
                    throw new ArgumentException($"{where}: '{address.Text}' overlaps '{clash.Text}'; list each address once.");
                }

                parsed.Add(address);
            }

            return parsed.Select(a => a.Text).ToList();
        }

        private static IList<string> Ports(IList<string> values, FirewallProtocol protocol, string where)
        {
            var ports = new List<FirewallPortRange>();
            foreach (string text in values ?? new List<string>())
            {
                if (protocol != FirewallProtocol.Tcp && protocol != FirewallProtocol.Udp)
                {
                    throw new ArgumentException($"{where} '{text}' needs Protocol Tcp or Udp (Protocol is {protocol}).");
                }

                FirewallPortRange port;
                try
                {
                    port = FirewallPortRange.Parse(text);
                }
                catch (FormatException bad)
                {
                    throw new ArgumentException($"{where}: {bad.Message}.");
                }

                FirewallPortRange clash = ports.FirstOrDefault(p => p.Overlaps(port));
                if (clash != null)
                {
                    throw new ArgumentException($"{where}: '{port}' overlaps '{clash}'; list each port once.");
                }

                ports.Add(port);
            }

            return ports.Select(p => p.Text).ToList();
        }

        private static IList<string> DscpValues(IList<string> values, string where)
        {
            var seen = new List<int>();
            foreach (string text in values ?? new List<string>())
            {
                int value;
                try
                {
                    value = BandwidthDscp.Parse(text);
                }
                catch (FormatException bad)
                {
                    throw new ArgumentException($"{where}: {bad.Message}.");
                }

                if (seen.Contains(value))
                {
                    throw new ArgumentException($"{where}: '{text}' is the same DSCP value as an earlier entry ({BandwidthDscp.Format(value)}); list each value once.");
                }

                seen.Add(value);
            }

            return seen.Select(BandwidthDscp.Format).ToList();
        }
    }
}
