using System.Globalization;
using System.Text.Json.Nodes;

namespace RemoteOps.Lab.Emulators.FortiOs;

/// <summary>
/// The query parameters of a cmdb GET: filter, format, start, count, with_meta, skip, datasource.
///
/// Sources: several filter parameters are ANDed and a comma inside one is an OR, format lists
/// fields joined by "|" [DOC the fortios_configuration_fact documentation and CODE its
/// plugins/modules/fortios_configuration_fact.py, github.com/fortinet-ansible-dev/ansible-galaxy-fortios-collection];
/// "==" (equal) and "=@" (contains), the value percent-escaped, and with_meta=1 / skip=1
/// [CODE github.com/FortiPower/PowerFGT PowerFGT/Private/RestMethod.ps1 and
/// PowerFGT/Public/cmdb/user/local.ps1, whose help says with_meta adds the q_... metadata such
/// as q_ref]. The other operators ("!=", "!@", "&lt;", "&lt;=", "&gt;", "&gt;=") and start/count are
/// listed in the FortiOS REST API reference on FNDN, which needs a login; here they are [INF].
/// Matching is case-insensitive, numbers compare as numbers, an attribute the object lacks never
/// matches, and a malformed filter answers 400 [INF].
/// </summary>
internal sealed class CmdbQuery
{
    private static readonly string[] Operators = { "==", "!=", "=@", "!@", "<=", ">=", "<", ">" };

    private readonly List<List<(string key, string op, string value)>> _filters = new();
    private HashSet<string> _format;
    public int Start { get; private set; }
    public int? Count { get; private set; }
    public bool WithMeta { get; private set; }
    public bool Skip { get; private set; }
    public bool Datasource { get; private set; }

    /// <summary>Reads the query; returns null and an error text when a parameter is malformed.</summary>
    public static CmdbQuery Parse(HttpContext ctx, out string error)
    {
        error = null;
        var q = new CmdbQuery();
        foreach (string filter in ctx.Request.Query["filter"])
        {
            if (string.IsNullOrEmpty(filter)) continue;
            var anyOf = new List<(string, string, string)>();
            foreach (string term in filter.Split(','))
            {
                var parsed = ParseTerm(term);
                if (parsed == null) { error = $"filter term '{term}' is not key<op>value with op one of {string.Join(" ", Operators)}"; return null; }
                anyOf.Add(parsed.Value);
            }
            q._filters.Add(anyOf);
        }
        string format = HttpJson.Query(ctx, "format");
        if (!string.IsNullOrEmpty(format))
            q._format = new HashSet<string>(format.Split('|', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        int? start = HttpJson.QueryInt(ctx, "start", 0);
        int? count = HttpJson.QueryInt(ctx, "count", -1);
        if (start == null || start < 0) { error = "start must be a whole number, 0 or more"; return null; }
        if (count == null || count < -1) { error = "count must be a whole number, 0 or more"; return null; }
        q.Start = start.Value;
        q.Count = count == -1 ? null : count;
        q.WithMeta = Flag(ctx, "with_meta");
        q.Skip = Flag(ctx, "skip");
        q.Datasource = Flag(ctx, "datasource");
        return q;
    }

    private static bool Flag(HttpContext ctx, string name)
    {
        string v = HttpJson.Query(ctx, name);
        return v == "1" || string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);
    }

    private static (string, string, string)? ParseTerm(string term)
    {
        // The earliest operator wins; at one position the two-character operators are tried first.
        for (int i = 1; i < term.Length; i++)
            foreach (string op in Operators)
                if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
                    return (term.Substring(0, i), op, term.Substring(i + op.Length));
        return null;
    }

    /// <summary>Whether an object passes every filter parameter (each one an OR of its terms).</summary>
    public bool Matches(JsonObject o) => _filters.All(anyOf => anyOf.Any(t => Test(o, t.key, t.op, t.value)));

    private static bool Test(JsonObject o, string key, string op, string value)
    {
        string actual = HttpJson.Str(o, key);
        if (actual == null) return false;
        bool numbers = double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
                       & double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double b);
        int order = numbers ? a.CompareTo(b) : string.Compare(actual, value, StringComparison.OrdinalIgnoreCase);
        switch (op)
        {
            case "==": return order == 0;
            case "!=": return order != 0;
            case "=@": return actual.Contains(value, StringComparison.OrdinalIgnoreCase);
            case "!@": return !actual.Contains(value, StringComparison.OrdinalIgnoreCase);
            case "<": return order < 0;
            case "<=": return order <= 0;
            case ">": return order > 0;
            default: return order >= 0;
        }
    }

    /// <summary>The page of matched objects that start/count select.</summary>
    public List<JsonObject> Page(List<JsonObject> matched) =>
        matched.Skip(Start).Take(Count ?? int.MaxValue).ToList();

    /// <summary>Keeps only the format fields; q_origin_key and the with_meta q_* fields stay [INF].</summary>
    public JsonObject Shape(JsonObject o)
    {
        if (_format == null) return o;
        var shaped = new JsonObject();
        foreach (var kv in o)
            if (_format.Contains(kv.Key) || kv.Key.StartsWith("q_", StringComparison.Ordinal))
                shaped[kv.Key] = kv.Value?.DeepClone();
        return shaped;
    }
}
