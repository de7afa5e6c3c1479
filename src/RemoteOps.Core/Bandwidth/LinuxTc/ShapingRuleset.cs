using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.Nftables;

namespace RemoteOps.Core.Bandwidth.LinuxTc
{
    /// <summary>
    /// The nftables table that sorts packets into tc classes: one postrouting rule per class, in
    /// match order, that sets the packet's priority to the class's tc classid and stops
    /// ("meta priority set 1:10 accept"). HTB takes a packet whose priority names one of its
    /// classes straight into that class (tc-htb(8), "classification"), so no tc filter and no
    /// fw classifier is needed. The rule's comment is the class name: tc classes have none.
    /// </summary>
    /// <remarks>
    /// The accept ends this table's chain only (other tables still see the packet), which gives
    /// first-match-wins; without it the last matching rule would win. The default class's rule
    /// has no match, so it catches the rest; the HTB default does the same for packets nftables
    /// never sees. The table is replaced as a whole in one nft -f transaction, as the firewall
    /// driver does (<see cref="NftablesRuleset"/>).
    /// </remarks>
    public static class ShapingRuleset
    {
        /// <summary>The base chain's name.</summary>
        public const string ChainName = "postrouting";

        /// <summary>The complete replacement script: the classes of <paramref name="policy"/> (canonical) with their classids.</summary>
        public static string Render(BandwidthPolicy policy, IReadOnlyDictionary<string, string> classIds, IReadOnlyList<string> interfaces, string table)
        {
            NftablesRuleset.CheckTable("inet", table);
            var text = new StringBuilder();
            text.Append("# Written by RemoteOps: this table is replaced as a whole on every change.\n");
            text.Append("table inet ").Append(table).Append('\n');
            text.Append("delete table inet ").Append(table).Append('\n');
            if (policy.Classes.Count == 0)
            {
                return text.ToString();
            }

            string devices = interfaces.Count == 1 ? Quote(interfaces[0]) : "{ " + string.Join(", ", interfaces.Select(Quote)) + " }";
            text.Append("table inet ").Append(table).Append(" {\n");
            text.Append("\tchain ").Append(ChainName).Append(" {\n");
            text.Append("\t\ttype filter hook postrouting priority mangle; policy accept;\n");
            foreach (BandwidthClass item in policy.Classes)
            {
                text.Append("\t\toifname ").Append(devices);
                string match = item.HasMatch ? BandwidthMatch.Describe(item) : string.Empty;
                if (match.Length > 0)
                {
                    text.Append(' ').Append(match);
                }

                text.Append(" meta priority set ").Append(classIds[item.Name]).Append(" accept comment \"").Append(item.Name).Append("\"\n");
            }

            text.Append("\t}\n}\n");
            return text.ToString();
        }

        /// <summary>Reads the rules of the table from "nft -j list table inet TABLE" (libnftables-json(5)), in order.</summary>
        /// <exception cref="FormatException">Not nft's JSON.</exception>
        public static IList<ShapingRule> Parse(string json, string table)
        {
            JObject root;
            try
            {
                root = JObject.Parse(json ?? string.Empty);
            }
            catch (JsonReaderException bad)
            {
                throw new FormatException($"nft printed something that is not JSON: {bad.Message}", bad);
            }

            if (!(root["nftables"] is JArray items))
            {
                throw new FormatException("nft's JSON has no \"nftables\" list.");
            }

            var rules = new List<ShapingRule>();
            foreach (JObject rule in items.OfType<JObject>().Select(i => i["rule"]).OfType<JObject>())
            {
                if ((string)rule["family"] == "inet" && (string)rule["table"] == table)
                {
                    rules.Add(ReadRule(rule));
                }
            }

            return rules;
        }

        private static ShapingRule ReadRule(JObject rule)
        {
            var item = new BandwidthClass();
            var result = new ShapingRule { Class = item };
            bool understood = (string)rule["chain"] == ChainName;
            bool accepted = false;
            foreach (JObject expression in (rule["expr"] as JArray ?? new JArray()).OfType<JObject>())
            {
                JProperty only = expression.Properties().FirstOrDefault();
                switch (only?.Name)
                {
                    case "match":
                        understood &= ReadMatch(only.Value as JObject, result);
                        break;
                    case "mangle":
                        if (only.Value["key"]?["meta"]?["key"]?.ToString() == "priority" && only.Value["value"]?.Type == JTokenType.String)
                        {
                            result.ClassId = (string)only.Value["value"];
                        }
                        else
                        {
                            understood = false;
                        }

                        break;
                    case "accept": accepted = true; break;
                    case "counter": break;
                    default: understood = false; break;
                }
            }

            string comment = (string)rule["comment"];
            if (!understood || !accepted || result.ClassId == null || !FirewallPolicyValidator.IsRuleName(comment))
            {
                item.Name = $"{FirewallPolicyValidator.UnmanagedPrefix}rule-{((int?)rule["handle"] ?? 0).ToString(CultureInfo.InvariantCulture)}";
                return result;
            }

            item.Name = comment;
            item.Default = !item.HasMatch;
            return result;
        }

        private static bool ReadMatch(JObject match, ShapingRule rule)
        {
            if (match == null || (string)match["op"] != "==")
            {
                return false;
            }

            BandwidthClass item = rule.Class;
            JToken left = match["left"];
            List<JToken> right = Elements(match["right"]).ToList();
            if (left?["meta"] is JObject meta)
            {
                switch ((string)meta["key"])
                {
                    case "oifname":
                        rule.Interfaces = right.Select(v => (string)v).ToList();
                        return right.All(v => v.Type == JTokenType.String);
                    case "l4proto":
                        return right.Count == 1 && SetProtocol(item, (string)right[0]);
                    default:
                        return false;
                }
            }

            if (!(left?["payload"] is JObject payload))
            {
                return false;
            }

            string protocol = (string)payload["protocol"];
            string field = (string)payload["field"];
            if (protocol == "ip" && (field == "saddr" || field == "daddr"))
            {
                List<string> addresses = right.Select(AddressText).ToList();
                if (field == "saddr")
                {
                    item.Source = addresses;
                }
                else
                {
                    item.Destination = addresses;
                }

                return addresses.All(a => a != null);
            }

            if (protocol == "ip" && field == "dscp")
            {
                List<string> values = right.Select(DscpText).ToList();
                item.Dscp = values;
                return values.All(v => v != null);
            }

            if ((protocol == "tcp" || protocol == "udp") && (field == "dport" || field == "sport"))
            {
                SetProtocol(item, protocol);
                List<string> ports = right.Select(PortText).ToList();
                if (field == "dport")
                {
                    item.Ports = ports;
                }
                else
                {
                    item.SourcePorts = ports;
                }

                return ports.All(p => p != null);
            }

            return false;
        }

        private static bool SetProtocol(BandwidthClass item, string protocol)
        {
            switch (protocol)
            {
                case "tcp": item.Protocol = FirewallProtocol.Tcp; return true;
                case "udp": item.Protocol = FirewallProtocol.Udp; return true;
                case "icmp": item.Protocol = FirewallProtocol.Icmp; return true;
                default: return false;
            }
        }

        private static IEnumerable<JToken> Elements(JToken right) =>
            right is JObject set && set["set"] is JArray list ? list : (IEnumerable<JToken>)new[] { right };

        private static string Quote(string name) => "\"" + name + "\"";

        private static string AddressText(JToken value)
        {
            try
            {
                if (value?.Type == JTokenType.String)
                {
                    FirewallAddress address = FirewallAddress.Parse((string)value);
                    return address.IsObject ? null : address.Text;
                }

                if (value?["prefix"] is JObject prefix)
                {
                    return FirewallAddress.Parse((string)prefix["addr"] + "/" + prefix["len"]).Text;
                }

                if (value?["range"] is JArray range && range.Count == 2)
                {
                    return FirewallAddress.Parse((string)range[0] + "-" + (string)range[1]).Text;
                }
            }
            catch (FormatException)
            {
                // something RemoteOps did not write: the rule is reported as unmanaged
            }

            return null;
        }

        private static string DscpText(JToken value)
        {
            try
            {
                return value?.Type == JTokenType.Integer || value?.Type == JTokenType.String ? BandwidthDscp.Format(BandwidthDscp.Parse(value.ToString())) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private static string PortText(JToken value)
        {
            if (value?.Type == JTokenType.Integer)
            {
                int port = (int)value;
                return FirewallPortRange.Of(port, port).Text;
            }

            if (value?["range"] is JArray range && range.Count == 2 && range[0].Type == JTokenType.Integer && range[1].Type == JTokenType.Integer)
            {
                return FirewallPortRange.Of((int)range[0], (int)range[1]).Text;
            }

            return null;
        }
    }
}
