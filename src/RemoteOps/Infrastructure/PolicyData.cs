using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// Turns PowerShell data (hashtables, custom objects, arrays, PSObject wrappers) into plain
    /// dictionaries, lists and values that Core can read: Core does not know PowerShell types, and
    /// JSON types cannot cross into it (it has its own private Newtonsoft.Json).
    /// </summary>
    internal static class PolicyData
    {
        internal static object ToPlain(object value)
        {
            object inner = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (inner)
            {
                case null: return null;
                case string text: return text;
                case IDictionary table:
                    var result = new Dictionary<string, object>();
                    foreach (DictionaryEntry entry in table)
                    {
                        result[entry.Key?.ToString() ?? string.Empty] = ToPlain(entry.Value);
                    }

                    return result;
                case PSCustomObject _ when value is PSObject custom:
                    return custom.Properties.ToDictionary(p => p.Name, p => ToPlain(p.Value));
                case IEnumerable list:
                    return list.Cast<object>().Select(ToPlain).ToList();
                default:
                    return inner is System.Enum ? inner.ToString() : inner;
            }
        }
    }
}
