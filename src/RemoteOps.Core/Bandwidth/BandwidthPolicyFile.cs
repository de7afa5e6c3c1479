using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using static RemoteOps.Core.Appliances.PolicyFileJson;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>
    /// A shaping policy as a JSON file: {"linkRate": "50mbit", "classes": [{"name": ..., "guaranteedRate": ..., ...}]},
    /// or the same keys as PowerShell data (.psd1, -Class hashtables). Reading checks the shape
    /// (every key known, every value of the right type) and names the bad key and its line, as the
    /// firewall policy file does (<see cref="FirewallPolicyFile"/>); the values themselves are
    /// checked by <see cref="BandwidthPolicyValidator"/>.
    /// </summary>
    public static class BandwidthPolicyFile
    {
        private static readonly string[] ClassKeys = { "name", "guaranteedRate", "ceilingRate", "priority", "default", "source", "destination", "protocol", "ports", "sourcePorts", "dscp" };
        private static readonly string[] TopKeys = { "linkRate", "classes" };

        /// <summary>Reads a policy from JSON text; <paramref name="source"/> names the file in messages.</summary>
        /// <exception cref="FormatException">Not JSON, an unknown key, or a value of the wrong type; the message gives the line.</exception>
        public static BandwidthPolicy Parse(string json, string source)
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
        /// Reads a policy from PowerShell data (a .psd1 or -Class hashtables) already turned into
        /// dictionaries, lists and plain values. PowerShell keys are case-insensitive, so the keys
        /// match in any case here. The messages name the bad key, without a line.
        /// </summary>
        public static BandwidthPolicy FromData(IDictionary<string, object> root, string source)
        {
            var json = new JObject();
            foreach (KeyValuePair<string, object> entry in root ?? new Dictionary<string, object>())
            {
                string key = Known(entry.Key, TopKeys);
                json[key] = key == "classes" && entry.Value is IEnumerable<object> classes && !(entry.Value is string)
                    ? new JArray(classes.Select(c => c is IDictionary<string, object> item ? Data(item, ClassKeys) : Data(c, null)))
                    : Data(entry.Value, null);
            }

            return FromJson(json, source);
        }

        /// <summary>Writes a policy in the form <see cref="Parse"/> reads.</summary>
        public static string Write(BandwidthPolicy policy)
        {
            var classes = new JArray();
            foreach (BandwidthClass item in policy.Classes ?? new List<BandwidthClass>())
            {
                var json = new JObject { ["name"] = item.Name, ["guaranteedRate"] = item.GuaranteedRate };
                if (item.CeilingRate != null)
                {
                    json["ceilingRate"] = item.CeilingRate;
                }

                json["priority"] = item.Priority;
                if (item.Default)
                {
                    json["default"] = true;
                }

                AddList(json, "source", item.Source);
                AddList(json, "destination", item.Destination);
                if (item.Protocol != FirewallProtocol.Any)
                {
                    json["protocol"] = item.Protocol.ToString();
                }

                AddList(json, "ports", item.Ports);
                AddList(json, "sourcePorts", item.SourcePorts);
                AddList(json, "dscp", item.Dscp);
                classes.Add(json);
            }

            return new JObject { ["linkRate"] = policy.LinkRate, ["classes"] = classes }.ToString(Formatting.Indented) + "\n";
        }

        private static void AddList(JObject json, string key, IList<string> values)
        {
            if (values != null && values.Count > 0)
            {
                json[key] = new JArray(values.ToArray());
            }
        }

        private static BandwidthPolicy FromJson(JObject root, string source)
        {
            CheckKeys(root, TopKeys, source, "the top level");
            var policy = new BandwidthPolicy { LinkRate = Text(root["linkRate"], source, "linkRate") };
            if (root["classes"] is JToken classes && classes.Type != JTokenType.Null)
            {
                int index = 0;
                foreach (JToken item in Expect<JArray>(classes, source, "classes", "a list of classes"))
                {
                    index++;
                    policy.Classes.Add(ReadClass(Expect<JObject>(item, source, $"classes[{index}]", "a class object"), source, index));
                }
            }

            return policy;
        }

        private static BandwidthClass ReadClass(JObject item, string source, int index)
        {
            string where = $"classes[{index}]";
            CheckKeys(item, ClassKeys, source, where);
            var result = new BandwidthClass { Name = Text(item["name"], source, where + ".name") };
            if (result.Name == null)
            {
                throw new FormatException($"{At(source, item)}{where} has no \"name\"; every class needs one.");
            }

            where = $"class '{result.Name}'";
            result.GuaranteedRate = Text(item["guaranteedRate"], source, where + ": guaranteedRate");
            result.CeilingRate = Text(item["ceilingRate"], source, where + ": ceilingRate");
            if (item["priority"] != null && item["priority"].Type != JTokenType.Null)
            {
                JToken priority = item["priority"];
                if (priority.Type == JTokenType.Integer || (priority.Type == JTokenType.String && int.TryParse((string)priority, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                {
                    result.Priority = int.Parse(priority.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
                }
                else
                {
                    throw new FormatException($"{At(source, priority)}{where}: priority must be a whole number 0-7, not {priority.ToString(Formatting.None)}.");
                }
            }

            if (item["default"] != null && item["default"].Type != JTokenType.Null)
            {
                if (item["default"].Type != JTokenType.Boolean)
                {
                    throw new FormatException($"{At(source, item["default"])}{where}: default must be true or false, not {item["default"].ToString(Formatting.None)}.");
                }

                result.Default = (bool)item["default"];
            }

            if (item["protocol"] != null && item["protocol"].Type != JTokenType.Null)
            {
                JToken protocol = item["protocol"];
                string text = protocol.Type == JTokenType.String ? (string)protocol : null;
                if (text == null || int.TryParse(text, out _) || !Enum.TryParse(text, true, out FirewallProtocol value))
                {
                    throw new FormatException($"{At(source, protocol)}{where}: protocol is {protocol.ToString(Formatting.None)}; valid values are {string.Join(", ", Enum.GetNames(typeof(FirewallProtocol)))}.");
                }

                result.Protocol = value;
            }

            result.Source = Strings(item["source"], source, where + ": source");
            result.Destination = Strings(item["destination"], source, where + ": destination");
            result.Ports = Strings(item["ports"], source, where + ": ports");
            result.SourcePorts = Strings(item["sourcePorts"], source, where + ": sourcePorts");
            result.Dscp = Strings(item["dscp"], source, where + ": dscp");
            return result;
        }
    }
}
