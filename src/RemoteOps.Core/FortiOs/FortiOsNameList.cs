using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.FortiOs
{
    /// <summary>
    /// FortiOS lists of named references ("srcintf", "service", "users", "groups", a group's
    /// "member"): an array of {"name": ...} entries (FortiOS REST API reference, table
    /// attributes). A bare string in such an array is read as the name; entries without a name
    /// are left out, so nothing downstream matches on an empty name.
    /// </summary>
    internal static class FortiOsNameList
    {
        /// <summary>The names in <paramref name="list"/>, in order; empty when it is not an array.</summary>
        public static IReadOnlyList<string> Read(JToken list) =>
            (list as JArray)?
                .Select(entry => entry.Type == JTokenType.Object ? (string)entry["name"] : entry.Type == JTokenType.String ? (string)entry : null)
                .Where(name => !string.IsNullOrEmpty(name))
                .ToList()
            ?? new List<string>();
    }
}
