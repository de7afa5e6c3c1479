using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// Reading a policy file users keep in version control (the firewall and bandwidth policy
    /// files): PowerShell data turned into the same JSON a .json file gives, and values taken
    /// from it with every refusal naming the file, the line and the key.
    /// </summary>
    internal static class PolicyFileJson
    {
        /// <summary>PowerShell data (.psd1, hashtables) as the JSON a file gives; keys take the spelling of <paramref name="keys"/>, since PowerShell compares them without case.</summary>
        internal static JToken Data(object value, string[] keys)
        {
            switch (value)
            {
                case null: return JValue.CreateNull();
                case string text: return new JValue(text);
                case bool flag: return new JValue(flag);
                case int number: return new JValue(number);
                case long number: return new JValue(number);
                case IDictionary<string, object> table:
                    var item = new JObject();
                    foreach (KeyValuePair<string, object> entry in table)
                    {
                        item[keys == null ? entry.Key : Known(entry.Key, keys)] = Data(entry.Value, null);
                    }

                    return item;
                case IEnumerable<object> list: return new JArray(list.Select(v => Data(v, null)));
                default: return new JValue(Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        /// <summary>The known key that <paramref name="key"/> spells without regard to case, else the key as given.</summary>
        internal static string Known(string key, string[] keys) => keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? key;

        /// <summary>Refuses a key that is not known, naming it, its line and the valid keys.</summary>
        internal static void CheckKeys(JObject item, string[] known, string source, string where)
        {
            foreach (JProperty property in item.Properties())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new FormatException($"{At(source, property)}unknown key \"{property.Name}\" in {where}; valid keys are {string.Join(", ", known)} (case-sensitive).");
                }
            }
        }

        /// <summary>The token as the JSON type wanted, or a refusal naming what it is instead.</summary>
        internal static TToken Expect<TToken>(JToken token, string source, string where, string what)
            where TToken : JToken
        {
            if (token is TToken typed)
            {
                return typed;
            }

            throw new FormatException($"{At(source, token)}{where} must be {what}, not {token.Type.ToString().ToLowerInvariant()}.");
        }

        /// <summary>A string value, or null when absent.</summary>
        internal static string Text(JToken token, string source, string where)
        {
            if (token == null || token.Type == JTokenType.Null)
            {
                return null;
            }

            if (token.Type != JTokenType.String)
            {
                throw new FormatException($"{At(source, token)}{where} must be a string, not {token.ToString(Formatting.None)}.");
            }

            return (string)token;
        }

        /// <summary>A string or a list of strings (numbers taken as text), empty when absent.</summary>
        internal static IList<string> Strings(JToken token, string source, string where)
        {
            if (token == null || token.Type == JTokenType.Null)
            {
                return new List<string>();
            }

            if (token.Type == JTokenType.String || token.Type == JTokenType.Integer)
            {
                return new List<string> { token.ToString() };
            }

            var values = new List<string>();
            foreach (JToken item in Expect<JArray>(token, source, where, "a string or a list of strings"))
            {
                if (item.Type != JTokenType.String && item.Type != JTokenType.Integer)
                {
                    throw new FormatException($"{At(source, item)}{where}: {item.ToString(Formatting.None)} is not a string.");
                }

                values.Add(item.ToString());
            }

            return values;
        }

        /// <summary>"file: line N: " for an error message, as much of it as is known.</summary>
        internal static string At(string source, JToken token)
        {
            var info = (IJsonLineInfo)token;
            string line = info != null && info.HasLineInfo() ? $"line {info.LineNumber.ToString(CultureInfo.InvariantCulture)}: " : string.Empty;
            return string.IsNullOrEmpty(source) ? line : $"{source}: {line}";
        }
    }
}
