using System;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Firewall.Smc
{
    /// <summary>
    /// One SMC element RemoteOps refers to from a rule: its type (typeof), its name, and the body
    /// it must have. Names are derived from the value ("remoteops-host-10.0.0.1"), so the same
    /// address or port always maps to the same element and an element is found by name before one
    /// is created. Bodies follow what smc-python POSTs (smc/elements/network.py, service.py,
    /// group.py in Forcepoint/fp-NGFW-SMC-python).
    /// </summary>
    public sealed class SmcElement
    {
        private SmcElement(string type, string name, JObject body)
        {
            Type = type;
            Name = name;
            Body = body;
        }

        /// <summary>The element type, as in its entry point (host, network, address_range, group, tcp_service, udp_service, ip_service).</summary>
        public string Type { get; }

        /// <summary>The element's name.</summary>
        public string Name { get; }

        /// <summary>The body to POST or PUT (members of a group are filled in by the caller).</summary>
        public JObject Body { get; }

        /// <summary>The element for one canonical address entry (an IPv4 address, network or range; not an object name).</summary>
        public static SmcElement ForAddress(string prefix, FirewallAddress address)
        {
            if (address == null || address.IsObject)
            {
                throw new ArgumentException("An address object is a group; use ForObject.");
            }

            string text = address.Text;
            string comment = "Managed by RemoteOps";
            if (address.First == address.Last)
            {
                return new SmcElement("host", prefix + "host-" + text, new JObject { ["name"] = prefix + "host-" + text, ["address"] = text, ["comment"] = comment });
            }

            if (text.IndexOf('/') > 0)
            {
                // '/' is kept out of names: a search filter with '/' only looks at names and comments (smc/base/collection.py).
                string name = prefix + "net-" + text.Replace('/', '_');
                return new SmcElement("network", name, new JObject { ["name"] = name, ["ipv4_network"] = text, ["comment"] = comment });
            }

            return new SmcElement("address_range", prefix + "range-" + text, new JObject { ["name"] = prefix + "range-" + text, ["ip_range"] = text, ["comment"] = comment });
        }

        /// <summary>The group that holds an address object (members are added by the caller).</summary>
        public static SmcElement ForObject(string prefix, string objectName) =>
            new SmcElement("group", prefix + objectName, new JObject { ["name"] = prefix + objectName, ["element"] = new JArray(), ["comment"] = "Managed by RemoteOps: address object " + objectName });

        /// <summary>A TCP or UDP service for one destination port or range (single port: only min_dst_port, as smc-python sends it).</summary>
        public static SmcElement ForPorts(string prefix, FirewallProtocol protocol, FirewallPortRange ports)
        {
            if (protocol != FirewallProtocol.Tcp && protocol != FirewallProtocol.Udp)
            {
                throw new ArgumentException($"Ports need Tcp or Udp, not {protocol}.");
            }

            string kind = protocol == FirewallProtocol.Tcp ? "tcp" : "udp";
            string name = prefix + kind + "-" + ports.Text;
            var body = new JObject { ["name"] = name, ["min_dst_port"] = ports.First, ["comment"] = "Managed by RemoteOps" };
            if (ports.Last != ports.First)
            {
                body["max_dst_port"] = ports.Last;
            }

            return new SmcElement(kind + "_service", name, body);
        }

        /// <summary>An IP-protocol service matching a whole protocol (TCP 6, UDP 17, ICMP 1).</summary>
        public static SmcElement ForProtocol(string prefix, FirewallProtocol protocol)
        {
            int number;
            switch (protocol)
            {
                case FirewallProtocol.Tcp: number = 6; break;
                case FirewallProtocol.Udp: number = 17; break;
                case FirewallProtocol.Icmp: number = 1; break;
                default: throw new ArgumentException("Protocol Any has no service: the rule's services cell is 'any'.");
            }

            string text = number.ToString(CultureInfo.InvariantCulture);
            return new SmcElement("ip_service", prefix + "proto-" + text, new JObject { ["name"] = prefix + "proto-" + text, ["protocol_number"] = text, ["comment"] = "Managed by RemoteOps" });
        }

        /// <summary>
        /// True when an element read from the SMC already has the value this one needs (only the
        /// fields that decide what it matches are compared; the comment and the SMC's own fields
        /// are not).
        /// </summary>
        public bool HasSameValue(JObject read)
        {
            if (read == null)
            {
                return false;
            }

            switch (Type)
            {
                case "host": return Same(read["address"], Body["address"]);
                case "network": return Same(read["ipv4_network"], Body["ipv4_network"]);
                case "address_range": return Same(read["ip_range"], Body["ip_range"]);
                case "ip_service": return Same(read["protocol_number"], Body["protocol_number"]);
                case "tcp_service":
                case "udp_service":
                    return Same(read["min_dst_port"], Body["min_dst_port"]) && MaxPort(read) == MaxPort(Body);
                default: return false;
            }
        }

        /// <summary>The last destination port of a TCP or UDP service body: max_dst_port, or min_dst_port when max is absent, empty or null.</summary>
        internal static string MaxPort(JObject service)
        {
            string max = Text(service["max_dst_port"]);
            return string.IsNullOrEmpty(max) ? Text(service["min_dst_port"]) : max;
        }

        internal static string Text(JToken token) => token == null || token.Type == JTokenType.Null ? null
            : token is JValue value ? Convert.ToString(value.Value, CultureInfo.InvariantCulture) : token.ToString(Newtonsoft.Json.Formatting.None);

        private static bool Same(JToken a, JToken b) => string.Equals(Text(a), Text(b), StringComparison.Ordinal);

        /// <inheritdoc />
        public override string ToString() => $"{Type} '{Name}'";
    }
}
