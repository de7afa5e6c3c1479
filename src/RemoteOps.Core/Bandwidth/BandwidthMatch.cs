using System.Collections.Generic;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>A class's match as nftables-style words, for output and plans.</summary>
    public static class BandwidthMatch
    {
        /// <summary>"ip saddr 10.0.0.0/8 tcp dport { 80, 443 }", or "(all other traffic)" for the default class.</summary>
        public static string Describe(BandwidthClass item)
        {
            if (item == null)
            {
                return string.Empty;
            }

            if (item.Default && !item.HasMatch)
            {
                return "(all other traffic)";
            }

            var parts = new List<string>();
            Add(parts, "ip saddr", item.Source);
            Add(parts, "ip daddr", item.Destination);
            Add(parts, "ip dscp", item.Dscp);
            string protocol = item.Protocol.ToString().ToLowerInvariant();
            bool hasPorts = (item.Ports?.Count ?? 0) > 0 || (item.SourcePorts?.Count ?? 0) > 0;
            if (item.Protocol != FirewallProtocol.Any && !hasPorts)
            {
                parts.Add("meta l4proto " + protocol);
            }

            Add(parts, protocol + " sport", item.SourcePorts);
            Add(parts, protocol + " dport", item.Ports);
            return string.Join(" ", parts);
        }

        private static void Add(List<string> parts, string what, IList<string> values)
        {
            if (values == null || values.Count == 0)
            {
                return;
            }

            parts.Add(what + " " + (values.Count == 1 ? values[0] : "{ " + string.Join(", ", values) + " }"));
        }
    }
}
