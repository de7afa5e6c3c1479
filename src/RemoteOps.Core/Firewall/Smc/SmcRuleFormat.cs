using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Firewall.Smc
{
    /// <summary>
    /// An SMC IPv4 access rule as JSON, both ways, as smc-python builds and reads it
    /// (smc/policy/rule.py, rule_elements.py in Forcepoint/fp-NGFW-SMC-python): cells
    /// {"any":true} or {"any":false,"src":[hrefs]}, the action "allow", "discard" or "refuse",
    /// which is a string up to API 6.5 and a one-item list from 6.6 on.
    /// </summary>
    /// <remarks>
    /// A rule belongs to RemoteOps when its name starts with the configured prefix; every other
    /// rule is neither read nor changed. The rule's RemoteOps name is the rest of its SMC name.
    /// SMC rules have no chains: the traffic to the engine itself meets the same rules, so only
    /// Forward rules can be written.
    /// </remarks>
    public static class SmcRuleFormat
    {
        /// <summary>The first API version whose action.action is a list.</summary>
        public static readonly Version ListActionSince = new Version(6, 6);

        /// <summary>"7.1" or "6.10" as a version; refuses anything else naming the value.</summary>
        public static Version ParseApiVersion(string text)
        {
            string[] parts = (text ?? string.Empty).Split('.');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
            {
                throw new ArgumentException($"'{text}' is not an SMC API version: give major.minor as listed by the SMC's /api (for example 7.1 or 6.10).");
            }

            return new Version(major, minor);
        }

        /// <summary>True when the version writes and reads action.action as a list.</summary>
        public static bool UsesActionList(Version apiVersion) => apiVersion >= ListActionSince;

        /// <summary>The SMC action of a RemoteOps action.</summary>
        public static string ActionName(FirewallAction action)
        {
            switch (action)
            {
                case FirewallAction.Accept: return "allow";
                case FirewallAction.Drop: return "discard";
                case FirewallAction.Reject: return "refuse";
                default: throw new ArgumentException($"Action '{action}' is not one of Accept, Drop, Reject.");
            }
        }

        /// <summary>Refuses what an SMC access rule cannot hold (only Forward rules), before anything is sent.</summary>
        public static void CheckSupported(FirewallPolicy policy)
        {
            FirewallRule input = (policy?.Rules ?? new List<FirewallRule>()).FirstOrDefault(r => r.Chain == FirewallChain.Input);
            if (input != null)
            {
                throw new ArgumentException(
                    $"Rule '{input.Name}' has Chain Input, but Forcepoint SMC access rules have no chains: traffic to the engine itself meets the same rules. Use Chain Forward with the engine's address as Destination.");
            }
        }

        /// <summary>The body of a rule to POST or PUT; the hrefs are the elements of its cells (empty = any).</summary>
        public static JObject Build(FirewallRule rule, string prefix, IReadOnlyList<string> sources, IReadOnlyList<string> destinations,
            IReadOnlyList<string> services, Version apiVersion)
        {
            string action = ActionName(rule.Action);
            return new JObject
            {
                ["name"] = prefix + rule.Name,
                ["comment"] = rule.Comment ?? string.Empty,
                ["is_disabled"] = !rule.Enabled,
                ["sources"] = Cell("src", sources),
                ["destinations"] = Cell("dst", destinations),
                ["services"] = Cell("service", services),
                ["action"] = new JObject
                {
                    ["action"] = UsesActionList(apiVersion) ? (JToken)new JArray(action) : action,
                    ["connection_tracking_options"] = new JObject { ["mss_enforced"] = false, ["mss_enforced_max"] = 0, ["mss_enforced_min"] = 0, ["timeout"] = -1 },
                    ["scan_detection"] = "undefined",
                },
                ["options"] = new JObject
                {
                    ["log_accounting_info_mode"] = false,
                    ["log_closing_mode"] = true,
                    ["log_level"] = "undefined",
                    ["log_payload_excerpt"] = false,
                    ["log_payload_record"] = false,
                    ["log_severity"] = -1,
                },
            };
        }

        /// <summary>
        /// Reads a rule RemoteOps owns. <paramref name="resolve"/> gives the type and body of the
        /// element behind an href. A rule that cannot be read back as a RemoteOps rule (an element
        /// RemoteOps does not write, a "none" cell, another action) is returned with the name
        /// "unmanaged-TAG" and what was read, so the plan replaces it.
        /// </summary>
        /// <returns>Null when the rule's name does not start with <paramref name="prefix"/>.</returns>
        public static FirewallRule Read(JObject json, string prefix, Func<string, (string Type, JObject Body)> resolve)
        {
            string smcName = (string)json?["name"] ?? string.Empty;
            if (!smcName.StartsWith(prefix, StringComparison.Ordinal))
            {
                return null;
            }

            var rule = new FirewallRule
            {
                Name = smcName.Substring(prefix.Length),
                Chain = FirewallChain.Forward,
                Enabled = json["is_disabled"]?.Type != JTokenType.Boolean || !(bool)json["is_disabled"],
                Comment = string.IsNullOrEmpty((string)json["comment"]) ? null : (string)json["comment"],
            };

            var problems = new List<string>();
            rule.Source = Addresses(json["sources"], "src", prefix, resolve, problems);
            rule.Destination = Addresses(json["destinations"], "dst", prefix, resolve, problems);
            ReadServices(json["services"], resolve, rule, problems);
            FirewallAction? action = ReadAction(json["action"]?["action"]);
            if (action == null)
            {
                problems.Add($"action {json["action"]?["action"]?.ToString(Newtonsoft.Json.Formatting.None)}");
            }
            else
            {
                rule.Action = action.Value;
            }

            if (!FirewallPolicyValidator.IsRuleName(rule.Name) || rule.Name.StartsWith(FirewallPolicyValidator.UnmanagedPrefix, StringComparison.Ordinal))
            {
                problems.Add("the name");
            }

            if (problems.Count > 0)
            {
                rule.Comment = $"not understood ({string.Join(", ", problems)}): {smcName}";
                rule.Name = FirewallPolicyValidator.UnmanagedPrefix + Tag(json);
            }

            return rule;
        }

        /// <summary>The rule's read-only tag (its identity in the policy), or "?" when absent.</summary>
        public static string Tag(JObject json) => (string)json?["tag"] ?? "?";

        /// <summary>The element type in an href ("…/elements/host/707" is host), as smc-python's Element.from_href reads it.</summary>
        public static string TypeOf(string href)
        {
            string[] parts = (href ?? string.Empty).TrimEnd('/').Split('/');
            return parts.Length >= 2 ? parts[parts.Length - 2] : string.Empty;
        }

        private static JObject Cell(string list, IReadOnlyList<string> hrefs) =>
            hrefs == null || hrefs.Count == 0
                ? new JObject { ["any"] = true }
                : new JObject { ["any"] = false, [list] = new JArray(hrefs) };

        private static FirewallAction? ReadAction(JToken value)
        {
            string name = value is JArray list && list.Count == 1 ? (string)list[0] : value?.Type == JTokenType.String ? (string)value : null;
            switch (name)
            {
                case "allow": return FirewallAction.Accept;
                case "discard": return FirewallAction.Drop;
                case "refuse": return FirewallAction.Reject;
                default: return null;
            }
        }

        private static List<string> Addresses(JToken cell, string list, string prefix, Func<string, (string Type, JObject Body)> resolve, List<string> problems)
        {
            var result = new List<string>();
            if (cell == null || (bool?)cell["any"] == true)
            {
                return result;
            }

            if (!(cell[list] is JArray hrefs) || hrefs.Count == 0)
            {
                problems.Add($"{list} none");
                return result;
            }

            foreach (JToken href in hrefs)
            {
                (string type, JObject body) = resolve((string)href);
                string text = AddressText(type, body, prefix);
                if (text == null)
                {
                    problems.Add($"{list} {type} '{(string)body?["name"]}'");
                }
                else
                {
                    result.Add(text);
                }
            }

            return result;
        }

        /// <summary>An address element's canonical text (a group of RemoteOps's is its object name); null for anything else.</summary>
        internal static string AddressText(string type, JObject body, string prefix)
        {
            try
            {
                switch (type)
                {
                    case "host": return FirewallAddress.Parse((string)body?["address"]).Text;
                    case "network": return FirewallAddress.Parse((string)body?["ipv4_network"]).Text;
                    case "address_range": return FirewallAddress.Parse((string)body?["ip_range"]).Text;
                    case "group":
                        string name = (string)body?["name"] ?? string.Empty;
                        string objectName = name.StartsWith(prefix, StringComparison.Ordinal) ? name.Substring(prefix.Length) : null;
                        return FirewallAddress.IsObjectName(objectName) ? objectName : null;
                    default: return null;
                }
            }
            catch (FormatException)
            {
                return null;   // IPv6 or something else RemoteOps does not write
            }
        }

        private static void ReadServices(JToken cell, Func<string, (string Type, JObject Body)> resolve, FirewallRule rule, List<string> problems)
        {
            if (cell == null || (bool?)cell["any"] == true)
            {
                rule.Protocol = FirewallProtocol.Any;
                return;
            }

            if (!(cell["service"] is JArray hrefs) || hrefs.Count == 0)
            {
                problems.Add("service none");
                return;
            }

            var protocols = new HashSet<FirewallProtocol>();
            bool wholeProtocol = false;
            foreach (JToken href in hrefs)
            {
                (string type, JObject body) = resolve((string)href);
                switch (type)
                {
                    case "tcp_service":
                    case "udp_service":
                        if (!int.TryParse(SmcElement.Text(body?["min_dst_port"]), NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                            || !int.TryParse(SmcElement.MaxPort(body), NumberStyles.None, CultureInfo.InvariantCulture, out int last) || first < 1 || last < first || last > 65535)
                        {
                            problems.Add($"service '{(string)body?["name"]}'");
                            continue;
                        }

                        protocols.Add(type == "tcp_service" ? FirewallProtocol.Tcp : FirewallProtocol.Udp);
                        rule.Ports.Add(FirewallPortRange.Of(first, last).Text);
                        break;
                    case "ip_service":
                        switch (SmcElement.Text(body?["protocol_number"]))
                        {
                            case "6": protocols.Add(FirewallProtocol.Tcp); break;
                            case "17": protocols.Add(FirewallProtocol.Udp); break;
                            case "1": protocols.Add(FirewallProtocol.Icmp); break;
                            default: problems.Add($"service '{(string)body?["name"]}'"); continue;
                        }

                        wholeProtocol = true;
                        break;
                    default:
                        problems.Add($"service {type} '{(string)body?["name"]}'");
                        break;
                }
            }

            if (protocols.Count > 1 || (wholeProtocol && rule.Ports.Count > 0))
            {
                problems.Add("services of several protocols");
                return;
            }

            rule.Protocol = protocols.Count == 1 ? protocols.First() : FirewallProtocol.Any;
        }
    }
}
