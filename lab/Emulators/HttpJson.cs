using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RemoteOps.Lab.Emulators;

/// <summary>Small helpers for reading and writing JSON with explicit (often hyphenated) names.</summary>
internal static class HttpJson
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>No HTML-safe escaping ('+' and '\'' stay as they are, as appliances send them).</summary>
    public static readonly JsonSerializerOptions Compact = new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions Indented = new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static Task Write(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body?.ToJsonString(Compact) ?? "{}");
    }

    public static Task WriteText(HttpContext ctx, int status, string contentType, string text)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        return ctx.Response.WriteAsync(text);
    }

    /// <summary>Reads the whole request body as UTF-8 text, whatever its Content-Type.</summary>
    public static async Task<string> ReadBody(HttpContext ctx)
    {
        using var ms = new MemoryStream();
        var buf = new byte[16 * 1024];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(buf, ctx.RequestAborted)) > 0)
        {
            ms.Write(buf, 0, n);
            if (ms.Length > MaxBodyBytes) throw new BadHttpRequestException("request body too large", 413);
        }
        return Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }

    /// <summary>Parses a JSON object; null when the text is empty or not a JSON object.</summary>
    public static JsonObject ParseObject(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { return null; }
    }

    /// <summary>A property as a string: strings as they are, booleans as "true"/"false", numbers invariant.</summary>
    public static string Str(JsonObject o, string name)
    {
        if (o == null || !o.TryGetPropertyValue(name, out JsonNode n) || n == null) return null;
        if (n is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.String: return v.GetValue<string>();
                case JsonValueKind.True: return "true";
                case JsonValueKind.False: return "false";
                case JsonValueKind.Number: return v.ToJsonString();
            }
        }
        return null;
    }

    /// <summary>A property as a boolean; accepts true/false and "true"/"false"; null when absent or not boolean-like.</summary>
    public static bool? Bool(JsonObject o, string name)
    {
        string s = Str(o, name);
        if (s == null) return null;
        if (string.Equals(s, "true", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(s, "false", StringComparison.OrdinalIgnoreCase)) return false;
        return null;
    }

    /// <summary>A property as an integer (number or numeric string); null when absent or not an integer.</summary>
    public static long? Int(JsonObject o, string name)
    {
        string s = Str(o, name);
        if (s == null) return null;
        return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : null;
    }

    /// <summary>
    /// Reads a whole-number lab setting that must lie in <paramref name="min"/>..<paramref name="max"/>;
    /// otherwise false, with an error naming the setting and the range (and <paramref name="note"/>).
    /// </summary>
    public static bool IntInRange(JsonObject o, string name, int min, int max, out int value, out string error, string note = "")
    {
        long? n = Int(o, name);
        if (n == null || n < min || n > max)
        {
            value = 0;
            error = $"{name} must be in {min}..{max}{note}";
            return false;
        }

        value = (int)n;
        error = null;
        return true;
    }

    public static string Inv(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses query integer; returns fallback when absent; null when present but invalid.</summary>
    public static int? QueryInt(HttpContext ctx, string name, int fallback)
    {
        if (!ctx.Request.Query.TryGetValue(name, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
            return fallback;
        return int.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null;
    }

    public static string Query(HttpContext ctx, string name)
    {
        return ctx.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
    }

    /// <summary>A route value. Kestrel decodes every escape in the path except %2F, which is decoded here.</summary>
    public static string Route(HttpContext ctx, string name)
    {
        string s = ctx.Request.RouteValues.TryGetValue(name, out object v) ? v as string : null;
        if (s == null) return null;
        return s.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }

    public static string NewSecret(int bytes)
    {
        return Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes))
            .Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }

    public static bool FixedEquals(string a, string b)
    {
        if (a == null || b == null) return false;
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
    }
}
