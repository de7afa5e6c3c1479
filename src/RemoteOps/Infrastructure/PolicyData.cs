using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// Turns a policy .psd1 (a hashtable) into the JSON object the policy file reader checks.
    /// PowerShell keys are case-insensitive, so the keys of the top level and of each rule get the
    /// file format's spelling; address object names are kept as written.
    /// </summary>
    internal static class PolicyData
    {
        internal static JObject ToJson(Hashtable data)
        {
            var root = new JObject();
            foreach (DictionaryEntry entry in data ?? new Hashtable())
            {
                string key = Camel(entry.Key?.ToString());
                if (key == "rules")
                {
                    var rules = new JArray();
                    foreach (object rule in Items(entry.Value))
                    {
                        rules.Add(Unwrap(rule) is IDictionary table ? Object(table, true) : Value(rule));
                    }

                    root[key] = rules;
                }
                else
                {
                    root[key] = Unwrap(entry.Value) is IDictionary table ? Object(table, false) : Value(entry.Value);
                }
            }

            return root;
        }

        private static JObject Object(IDictionary table, bool camelKeys)
        {
            var result = new JObject();
            foreach (DictionaryEntry entry in table)
            {
                string key = entry.Key?.ToString() ?? string.Empty;
                result[camelKeys ? Camel(key) : key] = Value(entry.Value);
            }

            return result;
        }

        private static JToken Value(object value)
        {
            value = Unwrap(value);
            switch (value)
            {
                case null: return JValue.CreateNull();
                case bool b: return new JValue(b);
                case string s: return new JValue(s);
                case int i: return new JValue(i.ToString(CultureInfo.InvariantCulture));
                case IEnumerable list: return new JArray(list.Cast<object>().Select(Value));
                default: return new JValue(value.ToString());
            }
        }

        private static IEnumerable Items(object value) => Unwrap(value) is IEnumerable list && !(Unwrap(value) is string) && !(Unwrap(value) is IDictionary) ? list : new[] { value };

        private static object Unwrap(object value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private static string Camel(string key) => string.IsNullOrEmpty(key) ? key : char.ToLowerInvariant(key[0]) + key.Substring(1);
    }
}
