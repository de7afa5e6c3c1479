using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.FortiOs;

namespace RemoteOps.Core.Firewall.FortiOs
{
    /// <summary>
    /// How RemoteOps's rule model is written to and read from FortiOS objects. FortiOS policies
    /// refer to addresses and services by name only, so every literal address and every port set
    /// becomes an object of its own, named after its content ("ro-198.18.0.0_24", "ro-tcp-443"),
    /// and an address object of the rule model becomes an address group. Everything RemoteOps
    /// writes carries <see cref="Marker"/> in its comment; nothing without it is read as managed.
    /// </summary>
    internal static class FortiOsPolicyMapping
    {
        /// <summary>The comment prefix of every policy, address, group and service RemoteOps writes.</summary>
        public const string Marker = "[RemoteOps]";

        /// <summary>The name prefix of the address and service objects RemoteOps creates for literal values.</summary>
        public const string ObjectPrefix = "ro-";

        /// <summary>FortiOS CLI Reference, config firewall policy: "name", size 35.</summary>
        public const int MaxPolicyName = 35;

        /// <summary>FortiOS CLI Reference, config firewall policy: "comments", size 1023.</summary>
        public const int MaxComments = 1023;

        // The predefined address that matches anything and the predefined service for every protocol.
        private const string AnyAddress = "all";
        private const string AnyService = "ALL";

        /// <summary>True when a comment marks an object RemoteOps wrote.</summary>
        public static bool IsManaged(string comment) => comment != null && comment.StartsWith(Marker, StringComparison.Ordinal);

        /// <summary>The policy comment that carries the marker and the rule's own comment.</summary>
        public static string PolicyComment(string comment) => string.IsNullOrEmpty(comment) ? Marker : Marker + " " + comment;

        /// <summary>The rule's comment from a managed policy's comment.</summary>
        public static string RuleComment(string comments)
        {
            string rest = (comments ?? string.Empty).Substring(Math.Min(Marker.Length, (comments ?? string.Empty).Length)).Trim();
            return rest.Length == 0 ? null : rest;
        }

        /// <summary>The name of the address object for one canonical literal address ('/' is not usable in a FortiOS object key in a URL).</summary>
        public static string AddressObjectName(string canonicalAddress) => ObjectPrefix + canonicalAddress.Replace('/', '_');

        /// <summary>The canonical literal address an object name stands for, or null when the name is not one of RemoteOps's.</summary>
        public static string AddressFromObjectName(string name)
        {
            if (name == null || !name.StartsWith(ObjectPrefix, StringComparison.Ordinal))
            {
                return null;
            }

            string text = name.Substring(ObjectPrefix.Length).Replace('_', '/');
            try
            {
                FirewallAddress parsed = FirewallAddress.Parse(text);
                return parsed.IsObject ? null : parsed.Text;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        /// <summary>The FortiOS address body for one canonical literal address.</summary>
        public static JObject AddressBody(string canonicalAddress)
        {
            FirewallAddress address = FirewallAddress.Parse(canonicalAddress);
            var body = new JObject { ["name"] = AddressObjectName(canonicalAddress), ["comment"] = Marker };
            uint size = address.Last - address.First;
            bool network = ((ulong)size + 1 & size) == 0 && (address.First & size) == 0;
            if (network)
            {
                // Written as "address/mask", the form FortiOS documents for writes; it reads back as "address mask".
                body["type"] = "ipmask";
                body["subnet"] = FirewallAddress.Format(address.First) + "/" + FirewallAddress.Format(~size);
            }
            else
            {
                body["type"] = "iprange";
                body["start-ip"] = FirewallAddress.Format(address.First);
                body["end-ip"] = FirewallAddress.Format(address.Last);
            }

            return body;
        }

        /// <summary>The service names a rule needs: "ALL" for any protocol, else one RemoteOps service per port range.</summary>
        public static IReadOnlyList<string> ServiceNames(FirewallRule rule)
        {
            switch (rule.Protocol)
            {
                case FirewallProtocol.Icmp:
                    return new[] { ObjectPrefix + "icmp" };
                case FirewallProtocol.Tcp:
                case FirewallProtocol.Udp:
                    string protocol = rule.Protocol == FirewallProtocol.Tcp ? "tcp" : "udp";
                    return rule.Ports == null || rule.Ports.Count == 0
                        ? new[] { ObjectPrefix + protocol + "-all" }
                        : rule.Ports.Select(p => ObjectPrefix + protocol + "-" + p).ToArray();
                default:
                    return new[] { AnyService };
            }
        }

        /// <summary>The FortiOS custom service body for one of RemoteOps's service names.</summary>
        public static JObject ServiceBody(string name)
        {
            var body = new JObject { ["name"] = name, ["comment"] = Marker };
            if (name == ObjectPrefix + "icmp")
            {
                body["protocol"] = "ICMP";
                return body;
            }

            string rest = name.Substring(ObjectPrefix.Length);
            string protocol = rest.Substring(0, 3);
            string ports = rest.Substring(4) == "all" ? "1-65535" : rest.Substring(4);
            body["protocol"] = "TCP/UDP/SCTP";
            body[protocol + "-portrange"] = ports;
            return body;
        }

        /// <summary>The protocol and ports one set of service names stands for; null when one of them is not RemoteOps's.</summary>
        public static (FirewallProtocol Protocol, List<string> Ports)? ParseServices(IReadOnlyList<string> names)
        {
            if (names.Count == 1 && names[0] == AnyService)
            {
                return (FirewallProtocol.Any, new List<string>());
            }

            if (names.Count == 1 && names[0] == ObjectPrefix + "icmp")
            {
                return (FirewallProtocol.Icmp, new List<string>());
            }

            FirewallProtocol? protocol = null;
            var ports = new List<string>();
            foreach (string name in names)
            {
                bool tcp = name.StartsWith(ObjectPrefix + "tcp-", StringComparison.Ordinal);
                bool udp = name.StartsWith(ObjectPrefix + "udp-", StringComparison.Ordinal);
                FirewallProtocol current = tcp ? FirewallProtocol.Tcp : FirewallProtocol.Udp;
                if (!(tcp || udp) || (protocol.HasValue && protocol != current))
                {
                    return null;
                }

                protocol = current;
                string port = name.Substring(ObjectPrefix.Length + 4);
                if (port != "all")
                {
                    ports.Add(port);
                }
            }

            return protocol.HasValue ? (protocol.Value, ports) : ((FirewallProtocol, List<string>)?)null;
        }

        /// <summary>The address names a Source or Destination list needs ("all" for an empty one).</summary>
        public static IReadOnlyList<string> AddressNames(IList<string> addresses)
        {
            if (addresses == null || addresses.Count == 0)
            {
                return new[] { AnyAddress };
            }

            return addresses.Select(a => FirewallAddress.Parse(a).IsObject ? a : AddressObjectName(a)).ToArray();
        }

        /// <summary>A Source or Destination list read back from a policy's address names.</summary>
        public static List<string> AddressesFromNames(IReadOnlyList<string> names)
        {
            if (names.Count == 1 && names[0] == AnyAddress)
            {
                return new List<string>();
            }

            // A group name stays a name (an address object); anything else RemoteOps did not write
            // also stays as it is, so the plan shows it as a difference and rewrites the policy.
            return names.Select(n => AddressFromObjectName(n) ?? n).ToList();
        }

        /// <summary>The FortiOS policy body for one canonical forward rule (without policyid).</summary>
        public static JObject PolicyBody(FirewallRule rule, IReadOnlyList<string> sourceInterfaces, IReadOnlyList<string> destinationInterfaces)
        {
            return new JObject
            {
                ["name"] = rule.Name,
                ["srcintf"] = NameList(sourceInterfaces),
                ["dstintf"] = NameList(destinationInterfaces),
                ["srcaddr"] = NameList(AddressNames(rule.Source)),
                ["dstaddr"] = NameList(AddressNames(rule.Destination)),
                ["service"] = NameList(ServiceNames(rule)),
                ["action"] = rule.Action == FirewallAction.Accept ? "accept" : "deny",

                // FortiOS has no reject action; a deny policy with send-deny-packet answers TCP
                // with a reset and other protocols with ICMP unreachable (CLI Reference, firewall policy).
                ["send-deny-packet"] = rule.Action == FirewallAction.Reject ? "enable" : "disable",
                ["status"] = rule.Enabled ? "enable" : "disable",
                ["schedule"] = "always",
                ["comments"] = PolicyComment(rule.Comment),
            };
        }

        /// <summary>The fields of <paramref name="desired"/> whose value differs in <paramref name="current"/>; empty when the policy is as wanted.</summary>
        public static IReadOnlyList<string> DifferingFields(JObject current, JObject desired)
        {
            var differing = new List<string>();
            foreach (JProperty field in desired.Properties())
            {
                JToken have = current[field.Name];
                bool same = field.Value is JArray wanted
                    ? have is JArray list && new HashSet<string>(FortiOsNameList.Read(list), StringComparer.Ordinal).SetEquals(FortiOsNameList.Read(wanted))
                    : string.Equals((string)have, (string)field.Value, StringComparison.Ordinal);
                if (!same)
                {
                    differing.Add(field.Name);
                }
            }

            return differing;
        }

        /// <summary>A managed policy read back as a rule.</summary>
        public static FirewallRule RuleFromPolicy(JToken policy, string appliance)
        {
            var rule = new FirewallRule
            {
                Name = (string)policy["name"],
                Chain = FirewallChain.Forward,
                Action = (string)policy["action"] == "accept" ? FirewallAction.Accept
                    : (string)policy["send-deny-packet"] == "enable" ? FirewallAction.Reject : FirewallAction.Drop,
                Enabled = (string)policy["status"] != "disable",
                Source = AddressesFromNames(FortiOsNameList.Read(policy["srcaddr"])),
                Destination = AddressesFromNames(FortiOsNameList.Read(policy["dstaddr"])),
                Comment = RuleComment((string)policy["comments"]),
                Appliance = appliance,
            };
            var services = ParseServices(FortiOsNameList.Read(policy["service"]));
            if (services.HasValue)
            {
                rule.Protocol = services.Value.Protocol;
                rule.Ports = services.Value.Ports;
            }
            else
            {
                // Services RemoteOps did not write: shown by name so the plan rewrites them.
                rule.Protocol = FirewallProtocol.Any;
                rule.Ports = FortiOsNameList.Read(policy["service"]).ToList();
            }

            return rule;
        }

        /// <summary>A policy's id.</summary>
        public static long PolicyId(JToken policy) => policy["policyid"]?.Value<long>() ?? 0;

        /// <summary>A policy id as FortiOS's URL key.</summary>
        public static string IdText(long id) => id.ToString(CultureInfo.InvariantCulture);

        private static JArray NameList(IEnumerable<string> names) => new JArray(names.Select(n => new JObject { ["name"] = n }));
    }
}
