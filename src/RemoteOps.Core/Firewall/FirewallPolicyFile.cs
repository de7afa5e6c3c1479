using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using static RemoteOps.Core.Appliances.PolicyFileJson;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// A policy as a JSON file: {"addressObjects": {"name": ["10.0.0.0/8", ...]}, "rules": [{"name": ..., ...}]}.
    /// Reading checks the shape (every key known, every value of the right type) and names the bad
    /// key and its line; the values themselves are checked by <see cref="FirewallPolicyValidator"/>.
    /// </summary>
    public static class FirewallPolicyFile
    {
        private static readonly string[] RuleKeys = { "name", "action", "chain", "source", "destination", "protocol", "ports", "comment", "enabled" };
        private static readonly string[] TopKeys = { "addressObjects", "rules" };

        /// <summary>Reads a policy from JSON text; <paramref name="source"/> names the file in messages.</summary>
        /// <exception cref="FormatException">Not JSON, an unknown key, or a value of the wrong type; the message gives the line.</exception>
        public static FirewallPolicy Parse(string json, string source)
        {
            JObject root;
            try
            {
                root = JObject.Parse(json ?? string.Empty, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            }
            catch (JsonReaderException bad)
            {
                throw new FormatException($"{source}: line {bad.LineNumber.ToString(CultureInfo.InvariantCulture)}: not valid JSON ({bad.Message}).", bad);
            }

            return FromJson(root, source);
        }

        /// <summary>
        /// Reads a policy from PowerShell data (a .psd1 or -Rule hashtables) already turned into
        /// dictionaries, lists and plain values. PowerShell keys are case-insensitive, so keys of
        /// the top level and of the rules match in any case; address object names keep theirs.
        /// The messages name the bad key, without a line.
        /// </summary>
        public static FirewallPolicy FromData(IDictionary<string, object> root, string source)
        {
            var json = new JObject();
            foreach (KeyValuePair<string, object> entry in root ?? new Dictionary<string, object>())
            {
                string key = Known(entry.Key, TopKeys);
                if (key == "rules" && entry.Value is IEnumerable<object> rules)
                {
                    json[key] = new JArray(rules.Select(r => r is IDictionary<string, object> rule ? Data(rule, RuleKeys) : Data(r, null)));
                }
                else
                {
                    json[key] = Data(entry.Value, null);
                }
            }

            return FromJson(json, source);
        }

        private static FirewallPolicy FromJson(JObject root, string source)
        {
            CheckKeys(root, TopKeys, source, "the top level");
            var policy = new FirewallPolicy();
            if (root["addressObjects"] is JToken objects)
            {
                foreach (JProperty item in Expect<JObject>(objects, source, "addressObjects", "an object of name: [addresses]").Properties())
                {
                    policy.AddressObjects.Add(new FirewallAddressObject { Name = item.Name, Addresses = Strings(item.Value, source, $"addressObjects.{item.Name}") });
                }
            }

            if (root["rules"] is JToken rules)
            {
                int index = 0;
                foreach (JToken item in Expect<JArray>(rules, source, "rules", "a list of rules"))
                {
                    index++;
                    policy.Rules.Add(ReadRule(Expect<JObject>(item, source, $"rules[{index}]", "a rule object"), source, index));
                }
            }

            return policy;
        }

        /// <summary>Writes a policy in the form <see cref="Parse"/> reads.</summary>
        public static string Write(FirewallPolicy policy)
        {
            var objects = new JObject();
            foreach (FirewallAddressObject item in policy.AddressObjects ?? new List<FirewallAddressObject>())
            {
                objects[item.Name] = new JArray(item.Addresses.ToArray());
            }

            var rules = new JArray();
            foreach (FirewallRule rule in policy.Rules ?? new List<FirewallRule>())
            {
                var json = new JObject
                {
                    ["name"] = rule.Name,
                    ["action"] = rule.Action.ToString(),
                    ["chain"] = rule.Chain.ToString(),
                    ["source"] = new JArray(rule.Source.ToArray()),
                    ["destination"] = new JArray(rule.Destination.ToArray()),
                    ["protocol"] = rule.Protocol.ToString(),
                    ["ports"] = new JArray(rule.Ports.ToArray()),
                    ["enabled"] = rule.Enabled,
                };
                if (!string.IsNullOrEmpty(rule.Comment))
                {
                    json["comment"] = rule.Comment;
                }

                rules.Add(json);
            }

            return new JObject { ["addressObjects"] = objects, ["rules"] = rules }.ToString(Formatting.Indented) + "\n";
        }

        private static FirewallRule ReadRule(JObject item, string source, int index)
        {
            string where = $"rules[{index}]";
            CheckKeys(item, RuleKeys, source, where);
            var rule = new FirewallRule { Name = Text(item["name"], source, where + ".name") };
            if (rule.Name == null)
            {
                throw new FormatException($"{At(source, item)}{where} has no \"name\"; every rule needs one.");
            }

            where = $"rule '{rule.Name}'";
            if (item["action"] != null)
            {
                rule.Action = Choice<FirewallAction>(item["action"], source, where + ": action");
            }

            if (item["chain"] != null)
            {
                rule.Chain = Choice<FirewallChain>(item["chain"], source, where + ": chain");
            }

            if (item["protocol"] != null)
            {
                rule.Protocol = Choice<FirewallProtocol>(item["protocol"], source, where + ": protocol");
            }

            rule.Source = Strings(item["source"], source, where + ": source");
            rule.Destination = Strings(item["destination"], source, where + ": destination");
            rule.Ports = Strings(item["ports"], source, where + ": ports");
            rule.Comment = Text(item["comment"], source, where + ": comment");
            if (item["enabled"] != null)
            {
                if (item["enabled"].Type != JTokenType.Boolean)
                {
                    throw new FormatException($"{At(source, item["enabled"])}{where}: enabled must be true or false, not {item["enabled"].ToString(Formatting.None)}.");
                }

                rule.Enabled = (bool)item["enabled"];
            }

            return rule;
        }

        private static TEnum Choice<TEnum>(JToken token, string source, string where)
            where TEnum : struct
        {
            string text = token.Type == JTokenType.String ? (string)token : null;
            if (text != null && !int.TryParse(text, out _) && Enum.TryParse(text, true, out TEnum value))
            {
                return value;
            }

            throw new FormatException($"{At(source, token)}{where} is {token.ToString(Formatting.None)}; valid values are {string.Join(", ", Enum.GetNames(typeof(TEnum)))}.");
        }
    }
}
