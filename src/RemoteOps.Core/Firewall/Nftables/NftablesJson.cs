using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Firewall.Nftables
{
    /// <summary>
    /// Reads RemoteOps's table back from the JSON of "nft -j list table" (libnftables-json(5),
    /// schema version 1, as printed by nftables 1.0.6) into a policy, in the same canonical form
    /// the validator produces, so a policy read back compares equal to the one written.
    /// </summary>
    /// <remarks>
    /// A rule that RemoteOps did not write (someone edited the table by hand) is not dropped
    /// silently: it is returned as "unmanaged-CHAIN-HANDLE" with what could be read of it, so the
    /// plan shows it being removed.
    /// </remarks>
    public static class NftablesJson
    {
        /// <summary>Parses the listing of one table; only objects of that table are read.</summary>
        /// <exception cref="FormatException">The text is not nft JSON output.</exception>
        public static FirewallPolicy Parse(string json, string family, string table)
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

            var policy = new FirewallPolicy();
            foreach (JObject item in items.OfType<JObject>())
            {
                if (item["set"] is JObject set && Owned(set, family, table))
                {
                    policy.AddressObjects.Add(ReadSet(set));
                }
                else if (item["rule"] is JObject rule && Owned(rule, family, table))
                {
                    FirewallRule read = ReadRule(rule);
                    if (read != null)
                    {
                        policy.Rules.Add(read);
                    }
                }
            }

            // nft lists the chains in the order they were created: input, forward, then the
            // disabled ones, which is the evaluation order the planner compares.
            policy.Rules = FirewallPolicyPlanner.EvaluationOrder(policy.Rules).ToList();
            return policy;
        }

        private static bool Owned(JObject item, string family, string table) =>
            (string)item["family"] == family && (string)item["table"] == table;

        private static FirewallAddressObject ReadSet(JObject set)
        {
            var addresses = new List<string>();
            if (set["elem"] is JArray elements)
            {
                foreach (JToken element in elements)
                {
                    addresses.Add(AddressText(element) ?? element.ToString(Formatting.None));
                }
            }

            return new FirewallAddressObject { Name = (string)set["name"], Addresses = addresses };
        }

        private static FirewallRule ReadRule(JObject rule)
        {
            string chainName = (string)rule["chain"] ?? string.Empty;
            string handle = rule["handle"]?.ToString() ?? "?";
            var result = new FirewallRule();
            bool understood = true;
            bool stateful = false;
            bool verdict = false;

            switch (chainName)
            {
                case "input": result.Chain = FirewallChain.Input; break;
                case "forward": result.Chain = FirewallChain.Forward; break;
                case "input" + NftablesRuleset.DisabledSuffix: result.Chain = FirewallChain.Input; result.Enabled = false; break;
                case "forward" + NftablesRuleset.DisabledSuffix: result.Chain = FirewallChain.Forward; result.Enabled = false; break;
                default: understood = false; break;
            }

            foreach (JObject expression in (rule["expr"] as JArray ?? new JArray()).OfType<JObject>())
            {
                JProperty only = expression.Properties().FirstOrDefault();
                switch (only?.Name)
                {
                    case "match":
                        if (IsStateful(only.Value as JObject))
                        {
                            stateful = true;
                        }
                        else
                        {
                            understood &= ReadMatch(only.Value as JObject, result);
                        }

                        break;
                    case "accept": result.Action = FirewallAction.Accept; verdict = true; break;
                    case "drop": result.Action = FirewallAction.Drop; verdict = true; break;
                    case "reject": result.Action = FirewallAction.Reject; verdict = true; break;
                    case "counter": break;
                    default: understood = false; break;
                }
            }

            string comment = (string)rule["comment"];
            if (comment == null && stateful && verdict && result.Action == FirewallAction.Accept && result.Source.Count == 0
                && result.Destination.Count == 0 && result.Protocol == FirewallProtocol.Any)
            {
                return null; // the established/related line the renderer puts first in each base chain
            }

            SplitLabel(comment, out string name, out string text);
            if (!understood || !verdict || stateful || !FirewallPolicyValidator.IsRuleName(name))
            {
                result.Name = $"{FirewallPolicyValidator.UnmanagedPrefix}{chainName}-{handle}";
                result.Comment = "not written by RemoteOps" + (comment == null ? string.Empty : ": " + comment);
                return result;
            }

            result.Name = name;
            result.Comment = text;
            return result;
        }

        private static bool IsStateful(JObject match) =>
            match?["left"]?["ct"] is JObject ct && (string)ct["key"] == "state";

        private static bool ReadMatch(JObject match, FirewallRule rule)
        {
            if (match == null || (string)match["op"] != "==")
            {
                return false;
            }

            JToken left = match["left"];
            JToken right = match["right"];
            if (left?["payload"] is JObject payload)
            {
                string protocol = (string)payload["protocol"];
                string field = (string)payload["field"];
                if (protocol == "ip" && (field == "saddr" || field == "daddr"))
                {
                    List<string> addresses = Elements(right).Select(AddressText).ToList();
                    if (addresses.Any(a => a == null))
                    {
                        return false;
                    }

                    if (field == "saddr")
                    {
                        rule.Source = addresses;
                    }
                    else
                    {
                        rule.Destination = addresses;
                    }

                    return true;
                }

                if ((protocol == "tcp" || protocol == "udp") && field == "dport")
                {
                    rule.Protocol = protocol == "tcp" ? FirewallProtocol.Tcp : FirewallProtocol.Udp;
                    List<string> ports = Elements(right).Select(PortText).ToList();
                    rule.Ports = ports;
                    return ports.All(p => p != null);
                }

                return false;
            }

            if (left?["meta"] is JObject meta && (string)meta["key"] == "l4proto" && right?.Type == JTokenType.String)
            {
                switch ((string)right)
                {
                    case "tcp": rule.Protocol = FirewallProtocol.Tcp; return true;
                    case "udp": rule.Protocol = FirewallProtocol.Udp; return true;
                    case "icmp": rule.Protocol = FirewallProtocol.Icmp; return true;
                    default: return false;
                }
            }

            return false;
        }

        private static IEnumerable<JToken> Elements(JToken right) =>
            right is JObject set && set["set"] is JArray list ? list : (IEnumerable<JToken>)new[] { right };

        private static string AddressText(JToken value)
        {
            try
            {
                if (value?.Type == JTokenType.String)
                {
                    string text = (string)value;
                    return text.StartsWith("@", StringComparison.Ordinal) ? text.Substring(1) : FirewallAddress.Parse(text).Text;
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
                // IPv6 or something else RemoteOps did not write: the rule is reported as unmanaged.
            }

            return null;
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

        private static void SplitLabel(string comment, out string name, out string text)
        {
            if (comment == null)
            {
                name = null;
                text = null;
                return;
            }

            int colon = comment.IndexOf(": ", StringComparison.Ordinal);
            name = colon < 0 ? comment : comment.Substring(0, colon);
            text = colon < 0 ? null : comment.Substring(colon + 2);
        }
    }
}
