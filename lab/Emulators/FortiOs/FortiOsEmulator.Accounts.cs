using System.Globalization;
using System.Text.Json.Nodes;

namespace RemoteOps.Lab.Emulators.FortiOs;

/// <summary>
/// What decides whether a local user may use the SSL-VPN beyond the password: the user password
/// policies and the SSL-VPN authentication rules.
///
/// Sources (evidence tags as in the class comment of FortiOsEmulator):
///   FortiOS CLI Reference "config user password-policy" (docs.fortinet.com/document/fortigate/6.2.9/cli-reference/475620,
///     7.4.2/cli-reference/487620): expire-days (0-999, default 180), warn-days (0-30, default 15),
///     expired-password-renewal (enable|disable, default disable), from 7.4.2 expire-status
///     (enable|disable, default disable) [DOC]. FortiOS 6.0 CLI Reference user password-policy:
///     a policy applies to the users whose passwd-policy names it [DOC].
///   FortiOS CLI Reference "config user local": passwd-policy, passwd-time ("time of the last
///     password update") [DOC].
///   FortiOS CLI Reference "config vpn ssl settings": authentication-rule (groups, users, portal,
///     ...), default-portal [DOC; the ansible fortios_vpn_ssl_settings module lists the same
///     fields, CODE].
/// Emulator choices [INF]: the REST path cmdb/user/password-policy follows the cmdb naming of the
/// CLI path; passwd-time is written "yyyy-MM-dd HH:mm:ss" in UTC, and is set when the password of
/// a user with a password policy is set, or when a policy is given to a user whose passwd-time
/// was never set; PUT cmdb/vpn.ssl/settings replaces the fields it names; the SSL-VPN sign-in
/// itself is not emulated, so neither the expiry nor the rules refuse anything here.
/// </summary>
internal sealed partial class FortiOsEmulator
{
    private const string NeverSet = "0000-00-00 00:00:00";
    private Dictionary<string, JsonObject> _passwordPolicies = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
    private JsonArray _sslAuthRules = new JsonArray();
    private string _sslDefaultPortal = "full-access";

    private void ResetAccountPolicies()
    {
        _passwordPolicies = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        _sslAuthRules = new JsonArray();
        _sslDefaultPortal = "full-access";
    }

    private void MapAccounts(WebApplication app)
    {
        app.MapGet("/api/v2/cmdb/user/password-policy", Authed(ListPasswordPolicies));
        app.MapPost("/api/v2/cmdb/user/password-policy", Authed(CreatePasswordPolicy));
        app.MapGet("/api/v2/cmdb/user/password-policy/{name}", Authed(GetPasswordPolicy));
        app.MapPut("/api/v2/cmdb/vpn.ssl/settings", Authed(PutSslSettings));
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Under _gate: a password set for a user with a password policy starts a new lifetime.</summary>
    private static void StampPasswordTime(FortiUser u, bool passwordSet)
    {
        bool hasPolicy = u.Fields.TryGetValue("passwd-policy", out string p) && !string.IsNullOrEmpty(p);
        bool neverSet = !u.Fields.TryGetValue("passwd-time", out string t) || t == NeverSet;
        if (hasPolicy && (passwordSet || neverSet)) u.Fields["passwd-time"] = Now();
    }

    private JsonObject PolicyJson(string name, JsonObject fields)
    {
        var o = new JsonObject { ["name"] = name, ["q_origin_key"] = name };
        o["expire-days"] = HttpJson.Int(fields, "expire-days") ?? 180;
        o["warn-days"] = HttpJson.Int(fields, "warn-days") ?? 15;
        o["expired-password-renewal"] = HttpJson.Str(fields, "expired-password-renewal") ?? "disable";
        if (EmulatorOptions.Compare(_version, new[] { 7, 4, 2 }) >= 0) o["expire-status"] = HttpJson.Str(fields, "expire-status") ?? "disable";
        return o;
    }

    private Task ListPasswordPolicies(HttpContext ctx)
    {
        var q = CmdbQuery.Parse(ctx, out _);
        if (q == null) return BadQuery(ctx, "user", "password-policy");
        List<JsonObject> all;
        lock (_gate) all = _passwordPolicies.Select(p => PolicyJson(p.Key, p.Value)).ToList();
        return CmdbTable(ctx, "user", "password-policy", q, all);
    }

    private Task GetPasswordPolicy(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        var q = CmdbQuery.Parse(ctx, out _);
        if (q == null) return BadQuery(ctx, "user", "password-policy");
        JsonObject p;
        lock (_gate) p = _passwordPolicies.TryGetValue(name, out var f) ? PolicyJson(name, f) : null;
        if (p == null) return ErrorEnvelope(ctx, 404, -3, "user", "password-policy", name, cmdb: true);
        return CmdbTable(ctx, "user", "password-policy", q, new List<JsonObject> { p });
    }

    private async Task CreatePasswordPolicy(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string name = HttpJson.Str(body, "name");
        string err = string.IsNullOrWhiteSpace(name) || name.Length > 35 ? "name" : null;
        long? days = HttpJson.Int(body, "expire-days") ?? 180, warn = HttpJson.Int(body, "warn-days") ?? 15;
        if (days < 0 || days > 999 || warn < 0 || warn > 30) err ??= "range";
        foreach (string option in new[] { "expired-password-renewal", "expire-status" })
        {
            string v = HttpJson.Str(body, option);
            if (v != null && v != "enable" && v != "disable") err ??= option;
        }
        bool duplicate = false;
        if (err == null)
        {
            lock (_gate)
            {
                duplicate = _passwordPolicies.ContainsKey(name);
                if (!duplicate) { _passwordPolicies[name] = body; _revision++; }
            }
        }
        if (err != null) await ErrorEnvelope(ctx, 424, -651, "user", "password-policy", name, cmdb: true);
        else if (duplicate) await ErrorEnvelope(ctx, 424, -5, "user", "password-policy", name, cmdb: true);
        else await WriteOk(ctx, "user", "password-policy", name);
    }

    private async Task PutSslSettings(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        if (body == null || (body.ContainsKey("authentication-rule") && body["authentication-rule"] is not JsonArray))
        { await ErrorEnvelope(ctx, 424, -651, "vpn.ssl", "settings", null, cmdb: true); return; }
        lock (_gate)
        {
            if (body["authentication-rule"] is JsonArray rules)
            {
                var copy = new JsonArray();
                int id = 1;
                foreach (var r in rules)
                {
                    var rule = (r as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject();
                    rule["id"] ??= id;
                    rule["groups"] ??= new JsonArray();
                    rule["users"] ??= new JsonArray();
                    rule["portal"] ??= "";
                    copy.Add(rule);
                    id++;
                }
                _sslAuthRules = copy;
            }
            if (body.ContainsKey("default-portal")) _sslDefaultPortal = HttpJson.Str(body, "default-portal") ?? "";
            _revision++;
        }
        await WriteOk(ctx, "vpn.ssl", "settings", null);
    }
}
