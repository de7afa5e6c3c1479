using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace RemoteOps.Lab.Emulators.FortiOs;

/// <summary>
/// FortiGate FortiOS REST API under /api/v2: local users, user groups and the SSL-VPN monitor parts.
///
/// Every endpoint below cites its public source with an evidence tag (see lab/Emulators/README.md):
/// [DOC] vendor documentation, [CODE] public client code, [2ND] third-party summary of vendor
/// documentation, [INF] inferred / unverified: an emulator choice. Sources cited by short name:
///   PowerFGT = github.com/FortiPower/PowerFGT, files under PowerFGT/Public/
///   ansible  = github.com/fortinet-ansible-dev/ansible-galaxy-fortios-collection (fortinet.fortios),
///              plugins/modules/*.py, plugins/httpapi/fortios.py, plugins/module_utils/fortios/fortios.py
///   hfortix  = github.com/hermanwjacobsen/hfortix-fortios (FORTIOS_API_GUIDE.md, generated from the 7.6.5 schema)
///   fortiosapi = github.com/fortinet-solutions-cse/fortiosapi fortiosapi/fortiosapi.py
///
/// Envelope [2ND hfortix; CODE ansible module_utils/fortios/fortios.py and the RETURN block of
/// plugins/modules/fortios_user_local.py]: http_method, results,
/// vdom, path, name, status, http_status, serial, version, build; plus "action" on monitor calls,
/// "revision" on cmdb calls, "size"/"matched_count" on cmdb lists, "mkey"/"revision_changed" on
/// writes. Errors: "status":"error", "http_status", numeric "error" (-5 duplicate, -23 entry in
/// use [2ND hfortix]; -3 is cited there without a meaning and is used here for "not found" [INF]).
/// HTTP codes [CODE public client code mirroring the FNDN "HTTP status codes" table; FNDN itself
/// needs a login]: 424 "failed dependency: duplicate, missing/invalid attribute" is used for -5 and
/// for invalid attributes; 424 is also used for -23 [INF: no source ties -23 to a code]. With
/// vdom=* or global=1 a GET answers a JSON array of per-VDOM envelopes [CODE fortiosapi reads
/// element [0]]; this appliance has the single VDOM "root".
/// </summary>
internal sealed partial class FortiOsEmulator : IApplianceEmulator
{
    private const string Vdom = "root";
    private const string ApiAdmin = "remoteops-api";
    private const string Hostname = "fgt-lab-1";
    private const string PeerHostname = "fgt-lab-2";

    // The fields PowerFGT cmdb/user/local.ps1 sends [CODE]; the backup always shows them when set.
    private static readonly string[] BackupFields =
    {
        "status", "type", "radius-server", "tacacs+-server", "ldap-server", "two-factor",
        "two-factor-authentication", "fortitoken", "email-to", "sms-phone",
    };
    // Attributes that hold a secret: they read back as "ENC XXXX" when set [INF for ppk-secret].
    private const string PpkSecret = "ppk-secret";

    private readonly LabRuntime _lab;
    private readonly EmulatorOptions _opt;
    private readonly int[] _version;
    private readonly string _versionText;
    private readonly int _build;
    private readonly string _serial = "FGVM04TM" + Digits(8);
    private readonly string _peerSerial = "FGVM04TM" + Digits(8);
    private readonly bool _urlQueryDefault;
    private readonly bool _tunnelRemoved;
    private readonly bool _backupIsPost;
    private readonly bool _hasChangePassword;
    private readonly FortiUserLocalSchema.Attribute[] _userAttributes;

    private readonly object _gate = new object();
    private string _apiToken = NewToken();
    private List<FortiUser> _users;
    private List<FortiGroup> _groups;
    private List<(string user, string by)> _references;
    private List<FortiSession> _sessions;
    private int _nextSessionIndex, _nextSubIndex, _seedSerial;
    private long _revision;
    private int _capacity;
    private bool _urlQuery;
    private int _lockoutThreshold;
    private bool _haInSync;
    private readonly List<DateTime> _authFailures = new List<DateTime>();
    private DateTime _lockedUntil;
    private int _lockouts;

    public FortiOsEmulator(LabRuntime lab)
    {
        _lab = lab;
        _opt = lab.Options;
        _version = EmulatorOptions.FortiOsVersion(_opt.Version);
        _versionText = "v" + _opt.Version;
        _build = 2000 + _version[1] * 100 + _version[2]; // invented build number [INF]
        // ?access_token= refused by default from 7.4.5 unless rest-api-key-url-query enable [DOC
        // community.fortinet.com Technical Tip ta-p/357228].
        _urlQueryDefault = _opt.RestApiKeyUrlQuery ?? EmulatorOptions.Compare(_version, new[] { 7, 4, 5 }) < 0;
        // SSL-VPN tunnel mode removed in 7.6.3; web mode ("Agentless VPN") stays [2ND FortiOS 7.6.3
        // release notes as quoted by rupe-networks.co.uk; DOC docs.fortinet.com/document/fortigate/7.6.3/cli-reference/324860771].
        _tunnelRemoved = EmulatorOptions.Compare(_version, new[] { 7, 6, 3 }) >= 0;
        // Config backup is GET ?scope= below 7.6.0, POST {"scope":..} from 7.6.0 [CODE PowerFGT
        // monitor/system/config/backup.ps1].
        _backupIsPost = EmulatorOptions.Compare(_version, new[] { 7, 6, 0 }) >= 0;
        // POST monitor/user/local/change-password on 7.4+ [CODE PowerFGT monitor/user/local/changepassword.ps1].
        _hasChangePassword = EmulatorOptions.Compare(_version, new[] { 7, 4, 0 }) >= 0;
        _userAttributes = FortiUserLocalSchema.For(_version);
        Reset();
    }

    private sealed class FortiUser
    {
        public string Name;
        public string Password;
        public string EncPassword;   // an opaque stand-in for the device's encrypted value
        public int Id;
        public Dictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private sealed class FortiGroup
    {
        public string Name;
        public int Id;
        public List<string> Members = new List<string>();
    }

    private sealed class FortiSession
    {
        public int Index;
        public string User, RemoteHost;
        public DateTime LastLogin;
        public List<FortiSub> Subs = new List<FortiSub>();
    }

    private sealed class FortiSub
    {
        public int Index;
        public string Aip;
        public long InBytes, OutBytes;
    }

    // =====================================================================================
    // Lab hooks
    // =====================================================================================

    public void Reset()
    {
        lock (_gate)
        {
            _users = new List<FortiUser>();
            _groups = new List<FortiGroup>();
            AddUser("alice", new Dictionary<string, string> { ["email-to"] = "alice@example.test" });
            AddUser("bob", new Dictionary<string, string> { ["email-to"] = "bob@example.test" });
            _groups.Add(new FortiGroup { Name = "SSLVPN_Users", Id = 2, Members = { "bob" } });
            _references = new List<(string, string)>();
            _sessions = new List<FortiSession>();
            _nextSessionIndex = 0;
            _nextSubIndex = 0;
            _seedSerial = 0;
            _revision = 1;
            _capacity = _opt.Capacity;
            _urlQuery = _urlQueryDefault;
            _lockoutThreshold = _opt.LockoutThreshold;
            _haInSync = true;
            _authFailures.Clear();
            _lockedUntil = DateTime.MinValue;
            _lockouts = 0;
            ResetFirewall();
            ResetAccountPolicies();
        }
    }

    private FortiUser AddUser(string name, Dictionary<string, string> fields, string password = null)
    {
        var u = new FortiUser { Name = name, Id = _users.Count == 0 ? 1 : _users.Max(x => x.Id) + 1 };
        foreach (var a in _userAttributes) u.Fields[a.Name] = a.Default;
        u.Fields.Remove("id");
        foreach (var kv in fields) u.Fields[kv.Key] = kv.Value;
        SetPassword(u, password ?? HttpJson.NewSecret(12));
        _users.Add(u);
        return u;
    }

    private static void SetPassword(FortiUser u, string password)
    {
        u.Password = password;
        // Real configs show "ENC <base64>" of an encrypted value; here random bytes per change,
        // so a backup diff shows a change without carrying anything derived from the secret [INF].
        u.EncPassword = "ENC " + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    }

    public void FillEndpointInfo(JsonObject o)
    {
        lock (_gate)
        {
            o["adminUser"] = ApiAdmin;      // the REST API admin the token belongs to
            o["adminPassword"] = null;      // password login (POST /api/v2/authentication) is not emulated
            o["apiToken"] = _apiToken;
            o["restApiKeyUrlQuery"] = _urlQuery;
            o["vdom"] = Vdom;
            o["tunnelMode"] = !_tunnelRemoved;
        }
    }

    public JsonObject SeedSessions(JsonObject body, out string error)
    {
        error = null;
        long count = HttpJson.Int(body, "count") ?? 1;
        if (count < 1 || count > 20000) { error = "count must be in 1..20000"; return null; }
        string prefix = HttpJson.Str(body, "userPrefix") ?? "user";
        string fixedUser = HttpJson.Str(body, "user");
        bool tunnel = (HttpJson.Bool(body, "tunnel") ?? true) && !_tunnelRemoved;
        var indexes = new JsonArray();
        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                int serial = ++_seedSerial;
                var s = new FortiSession
                {
                    Index = _nextSessionIndex++,
                    User = fixedUser ?? prefix + serial.ToString("D4", CultureInfo.InvariantCulture),
                    // Data only: strings in JSON, nothing is ever sent to them.
                    RemoteHost = $"198.19.{(serial / 250) % 250}.{serial % 250 + 1}",
                    LastLogin = DateTime.UtcNow.AddSeconds(-serial),
                };
                if (tunnel)
                    s.Subs.Add(new FortiSub
                    {
                        Index = _nextSubIndex++,
                        Aip = $"10.212.{(serial / 250) % 250}.{serial % 250 + 1}",
                        InBytes = 1000L * serial,
                        OutBytes = 3000L * serial,
                    });
                _sessions.Add(s);
                indexes.Add(s.Index);
            }
            return new JsonObject { ["added"] = count, ["total"] = _sessions.Count, ["indexes"] = indexes, ["tunnel"] = tunnel };
        }
    }

    public int ClearSessions()
    {
        lock (_gate)
        {
            int n = _sessions.Count;
            _sessions.Clear();
            return n;
        }
    }

    public JsonObject AddReference(JsonObject body, out string error)
    {
        error = null;
        string user = HttpJson.Str(body, "user");
        string by = HttpJson.Str(body, "by");
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(by)) { error = "user and by are required"; return null; }
        lock (_gate)
        {
            var u = FindUser(user);
            if (u == null) { error = $"user '{user}' does not exist"; return null; }
            _references.Add((u.Name, by));
            return new JsonObject { ["user"] = u.Name, ["referencedBy"] = by, ["references"] = _references.Count };
        }
    }

    /// <summary>FortiOS API tokens do not expire; "expire" regenerates the token (the old one gets 401).</summary>
    public JsonObject ExpireCredentials()
    {
        string token;
        lock (_gate) { _apiToken = NewToken(); token = _apiToken; }
        _lab.WriteEndpointFile();
        return new JsonObject { ["apiTokenRegenerated"] = true, ["apiToken"] = token };
    }

    public JsonObject Settings(JsonObject changes, out string error)
    {
        error = null;
        lock (_gate)
        {
            if (changes != null)
            {
                foreach (var kv in changes)
                {
                    switch (kv.Key)
                    {
                        case "capacity":
                            if (!HttpJson.IntInRange(changes, "capacity", 0, 1000000, out int c, out error)) return null;
                            _capacity = c;
                            break;
                        case "restApiKeyUrlQuery":
                            bool? q = HttpJson.Bool(changes, "restApiKeyUrlQuery");
                            if (q == null) { error = "restApiKeyUrlQuery must be true or false"; return null; }
                            _urlQuery = q.Value;
                            break;
                        case "lockoutThreshold":
                            if (!HttpJson.IntInRange(changes, "lockoutThreshold", 0, 100, out int t, out error)) return null;
                            _lockoutThreshold = t;
                            break;
                        case "haInSync":
                            bool? h = HttpJson.Bool(changes, "haInSync");
                            if (h == null) { error = "haInSync must be true or false"; return null; }
                            _haInSync = h.Value;
                            break;
                        case "clearLockout":
                            _authFailures.Clear();
                            _lockedUntil = DateTime.MinValue;
                            _lockouts = 0;
                            break;
                        case "failPolicyName":
                            FirewallSetting(kv.Key, changes);
                            break;
                        default:
                            error = $"unknown setting '{kv.Key}'; known: capacity, restApiKeyUrlQuery, lockoutThreshold, haInSync, clearLockout, failPolicyName";
                            return null;
                    }
                }
            }
            return new JsonObject
            {
                ["capacity"] = _capacity,
                ["restApiKeyUrlQuery"] = _urlQuery,
                ["lockoutThreshold"] = _lockoutThreshold,
                ["haInSync"] = _haInSync,
                ["failPolicyName"] = _failPolicyName,
                ["lockedUntil"] = _lockedUntil > DateTime.UtcNow ? _lockedUntil.ToString("o", CultureInfo.InvariantCulture) : null,
            };
        }
    }

    public JsonObject Summary()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["users"] = _users.Count,
                ["groups"] = _groups.Count,
                ["activeSessions"] = _sessions.Count,
                ["tunnels"] = _sessions.Sum(s => s.Subs.Count),
                ["references"] = _references.Count,
                ["policies"] = _policies.Count,
                ["revision"] = _revision,
            };
        }
    }

    public Task WriteFault(HttpContext ctx, int status, string message) =>
        ErrorEnvelope(ctx, status, null, PathOf(ctx), NameOf(ctx), null, cmdb: IsCmdb(ctx));

    public Task WriteNotFound(HttpContext ctx)
    {
        if ((ctx.Request.Path.Value ?? "").StartsWith("/api/v2/", StringComparison.Ordinal))
            return ErrorEnvelope(ctx, 404, null, PathOf(ctx), NameOf(ctx), null, cmdb: IsCmdb(ctx));
        return HttpJson.WriteText(ctx, 404, "text/html", Html(404, "Not Found"));
    }

    // =====================================================================================
    // Endpoints
    // =====================================================================================

    public void Map(WebApplication app)
    {
        // Local users [CODE PowerFGT cmdb/user/local.ps1]; ansible plugins/modules/fortios_user_local.py:
        // PUT then POST on 404/405/500, DELETE 404 = success [CODE].
        app.MapGet("/api/v2/cmdb/user/local", Authed(ListUsers));
        app.MapPost("/api/v2/cmdb/user/local", Authed(CreateUser));
        app.MapGet("/api/v2/cmdb/user/local/{name}", Authed(GetUser));
        app.MapPut("/api/v2/cmdb/user/local/{name}", Authed(PutUser));
        app.MapDelete("/api/v2/cmdb/user/local/{name}", Authed(DeleteUser));

        // User groups, "member":[{"name"}], change = PUT the whole list [CODE PowerFGT cmdb/user/group.ps1].
        app.MapGet("/api/v2/cmdb/user/group", Authed(ListGroups));
        app.MapPost("/api/v2/cmdb/user/group", Authed(CreateGroup));
        app.MapGet("/api/v2/cmdb/user/group/{name}", Authed(GetGroup));
        app.MapPut("/api/v2/cmdb/user/group/{name}", Authed(PutGroup));
        app.MapDelete("/api/v2/cmdb/user/group/{name}", Authed(DeleteGroup));

        // SSL-VPN settings: path by analogy with cmdb naming [INF]; fields and the capacity field are [INF].
        app.MapGet("/api/v2/cmdb/vpn.ssl/settings", Authed(SslSettings));

        // Password policies and SSL-VPN authentication rules: FortiOsEmulator.Accounts.cs.
        MapAccounts(app);

        // SSL-VPN sessions [CODE PowerFGT monitor/vpn/ssl.ps1 Get-FGTMonitorVpnSsl; public code]:
        // index, user_name, remote_host, last_login_time, subsessions[{index,aip,in_bytes,out_bytes}].
        // 7.6.3+: no tunnel subsessions [2ND 7.6.3 release notes quoted by rupe-networks.co.uk; DOC
        // 7.6.3 CLI reference "Agentless VPN"; CODE hfortix monitor/vpn/_helpers/ssl.py].
        app.MapGet("/api/v2/monitor/vpn/ssl", Authed(SslSessions));
        // Kick: {"type":"websession|subsession","index":N}, both required [CODE ansible
        // plugins/modules/fortios_monitor.py "delete.vpn.ssl"; DOC the collection's fortios_monitor docs].
        app.MapPost("/api/v2/monitor/vpn/ssl/delete", Authed(SslDelete));
        // [CODE ansible plugins/modules/fortios_monitor.py "clear_tunnel.vpn.ssl"].
        app.MapPost("/api/v2/monitor/vpn/ssl/clear_tunnel", Authed(SslClearTunnel));
        // [CODE ansible plugins/modules/fortios_monitor_fact.py "vpn_ssl_stats"; PowerFGT monitor/vpn/ssl.ps1
        // -stats "current, max user"]; shape [INF].
        app.MapGet("/api/v2/monitor/vpn/ssl/stats", Authed(SslStats));

        // HA: ha-peer and ha-checksums [CODE PowerFGT monitor/system/ha.ps1]; ha-statistics is named in
        // public summaries but not confirmed in a named public source [INF].
        // Result fields of all three [INF].
        app.MapGet("/api/v2/monitor/system/ha-peer", Authed(HaPeer));
        app.MapGet("/api/v2/monitor/system/ha-checksums", Authed(HaChecksums));
        app.MapGet("/api/v2/monitor/system/ha-statistics", Authed(HaStatistics));

        // Status: envelope "version" read by ansible plugins/httpapi/fortios.py [CODE]; results fields [INF].
        app.MapGet("/api/v2/monitor/system/status", Authed(SystemStatus));
        // Firmware: results.current.{major,minor,patch} read by PowerFGT Connection.ps1 Connect-FGT [CODE].
        app.MapGet("/api/v2/monitor/system/firmware", Authed(Firmware));
        // Licence status with global=1 -> array, [0]["version"] read by fortiosapi [CODE]; results [INF].
        app.MapGet("/api/v2/monitor/license/status", Authed(LicenseStatus));

        // Config backup [CODE PowerFGT monitor/system/config/backup.ps1]: GET ?scope=
        // below 7.6.0, POST {"scope"} from 7.6.0. The other verb answers 405 [INF].
        app.MapGet("/api/v2/monitor/system/config/backup", Authed(Backup));
        app.MapPost("/api/v2/monitor/system/config/backup", Authed(Backup));

        // Password change on 7.4+ [CODE PowerFGT monitor/user/local/changepassword.ps1].
        app.MapPost("/api/v2/monitor/user/local/change-password", Authed(ChangePassword));

        MapFirewall(app);
    }

    // ------------------------------------------------------------------------------ auth

    /// <summary>
    /// "Authorization: Bearer &lt;token&gt;" [CODE PowerFGT Connection.ps1; fortiosapi]. ?access_token=
    /// only when rest-api-key-url-query is enabled [DOC community.fortinet.com/t5/FortiGate/
    /// Technical-Tip-Configuring-FortiGate-7-4-5-to-Allow-access-token/ta-p/357228; 2ND issue
    /// github.com/mcarneir0/fortigate-backup-api/issues/1], else 401 with an HTML body [2ND issue
    /// github.com/fortinetdev/terraform-provider-fortios/issues/339; the HTML text here is the
    /// emulator's own]. Lockout [DOC community.fortinet.com Technical Tip "Administrative lockout
    /// durations for FortiGate API", ta-p/362817]: after
    /// lockoutThreshold failed checks within 60 s the source is blocked for 60 s, doubling on each
    /// repeat; while blocked the answer is 429 and the token is not checked. 401/429 bodies [INF].
    /// </summary>
    private RequestDelegate Authed(Func<HttpContext, Task> handler)
    {
        return ctx =>
        {
            string header = ctx.Request.Headers.Authorization;
            string token = null;
            bool fromQuery = false;
            if (header != null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = header.Substring(7).Trim();
            else if (ctx.Request.Query.ContainsKey("access_token")) { token = HttpJson.Query(ctx, "access_token"); fromQuery = true; }

            DateTime now = DateTime.UtcNow;
            lock (_gate)
            {
                if (_lockedUntil > now)
                {
                    ctx.Response.Headers.RetryAfter = Math.Ceiling((_lockedUntil - now).TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    return HttpJson.WriteText(ctx, 429, "text/html", Html(429, "Too Many Requests"));
                }
                if (fromQuery && !_urlQuery)
                    return HttpJson.WriteText(ctx, 401, "text/html", Html(401, "Unauthorized"));
                if (token == null)
                    return HttpJson.WriteText(ctx, 401, "text/html", Html(401, "Unauthorized"));
                if (!HttpJson.FixedEquals(token, _apiToken))
                {
                    RegisterFailure(now);
                    return HttpJson.WriteText(ctx, 401, "text/html", Html(401, "Unauthorized"));
                }
            }
            if (!VdomOk(ctx)) return ErrorEnvelope(ctx, 404, null, PathOf(ctx), NameOf(ctx), null, IsCmdb(ctx));
            return handler(ctx);
        };
    }

    private void RegisterFailure(DateTime now)
    {
        if (_lockoutThreshold <= 0) return;
        _authFailures.RemoveAll(t => (now - t).TotalSeconds > 60);
        _authFailures.Add(now);
        if (_authFailures.Count >= _lockoutThreshold)
        {
            _lockouts++;
            double seconds = Math.Min(3600, 60 * Math.Pow(2, _lockouts - 1));
            _lockedUntil = now.AddSeconds(seconds);
            _authFailures.Clear();
        }
    }

    private static bool VdomOk(HttpContext ctx)
    {
        string v = HttpJson.Query(ctx, "vdom");
        return v == null || v == Vdom || v == "*";
    }

    private static bool Multi(HttpContext ctx) => HttpJson.Query(ctx, "vdom") == "*" || HttpJson.Query(ctx, "global") == "1";

    // ------------------------------------------------------------------------------ envelope

    private string Revision => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes("rev" + _revision))).Substring(0, 32).ToLowerInvariant();

    private JsonObject Envelope(HttpContext ctx, string path, string name, string action, JsonNode results, bool cmdb)
    {
        var o = new JsonObject { ["http_method"] = ctx.Request.Method };
        if (cmdb) o["revision"] = Revision;
        if (results != null) o["results"] = results;
        if (cmdb && results is JsonArray a) { o["size"] = a.Count; o["matched_count"] = a.Count; }
        o["vdom"] = Vdom;
        o["path"] = path;
        o["name"] = name;
        if (!cmdb) o["action"] = action ?? "";
        o["status"] = "success";
        o["http_status"] = 200;
        o["serial"] = _serial;
        o["version"] = _versionText;
        o["build"] = _build;
        return o;
    }

    private static Task Reply(HttpContext ctx, JsonObject envelope)
    {
        if (HttpMethods.IsGet(ctx.Request.Method) && Multi(ctx)) return HttpJson.Write(ctx, 200, new JsonArray(envelope));
        return HttpJson.Write(ctx, 200, envelope);
    }

    private Task Cmdb(HttpContext ctx, string path, string name, JsonNode results) =>
        Reply(ctx, Envelope(ctx, path, name, null, results, cmdb: true));

    private Task Monitor(HttpContext ctx, string path, string name, string action, JsonNode results) =>
        Reply(ctx, Envelope(ctx, path, name, action, results, cmdb: false));

    /// <summary>Write reply: mkey and revision_changed [2ND hfortix; CODE ansible module_utils/fortios/fortios.py].</summary>
    private Task WriteOk(HttpContext ctx, string path, string name, string mkey)
    {
        var o = new JsonObject { ["http_method"] = ctx.Request.Method, ["revision"] = Revision, ["revision_changed"] = true };
        if (mkey != null) o["mkey"] = mkey;
        o["status"] = "success";
        o["http_status"] = 200;
        o["vdom"] = Vdom;
        o["path"] = path;
        o["name"] = name;
        o["serial"] = _serial;
        o["version"] = _versionText;
        o["build"] = _build;
        return HttpJson.Write(ctx, 200, o);
    }

    private Task ErrorEnvelope(HttpContext ctx, int http, int? error, string path, string name, string mkey, bool cmdb)
    {
        var o = new JsonObject { ["http_method"] = ctx.Request.Method };
        if (cmdb) o["revision"] = Revision;
        if (error != null) o["error"] = error.Value;
        if (mkey != null) o["mkey"] = mkey;
        o["vdom"] = Vdom;
        o["path"] = path;
        o["name"] = name;
        o["status"] = "error";
        o["http_status"] = http;
        o["serial"] = _serial;
        o["version"] = _versionText;
        o["build"] = _build;
        return HttpJson.Write(ctx, http, o);
    }

    private static bool IsCmdb(HttpContext ctx) => (ctx.Request.Path.Value ?? "").StartsWith("/api/v2/cmdb/", StringComparison.Ordinal);

    private static string[] Segments(HttpContext ctx)
    {
        string p = ctx.Request.Path.Value ?? "";
        var parts = p.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 3 ? parts.Skip(3).ToArray() : Array.Empty<string>();
    }

    private static string PathOf(HttpContext ctx) { var s = Segments(ctx); return s.Length > 0 ? s[0] : ""; }
    private static string NameOf(HttpContext ctx) { var s = Segments(ctx); return s.Length > 1 ? s[1] : ""; }

    private static string Html(int code, string text) =>
        $"<!DOCTYPE html>\n<html><head><title>{code} {text}</title></head><body><h1>{text}</h1></body></html>\n";

    // ------------------------------------------------------------------------------ users

    private FortiUser FindUser(string name) =>
        _users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));

    private FortiGroup FindGroup(string name) =>
        _groups.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The full object of the emulated version (see FortiUserLocalSchema). "passwd" is never
    /// returned: a fixed "ENC XXXX" placeholder stands in for it [INF]. skip=1 leaves out the
    /// attributes the object's type and two-factor setting make irrelevant, as the CLI hides them
    /// [INF for the exact set]; with_meta=1 adds q_ref (groups and other objects using the user)
    /// and the q_static/q_no_rename/q_no_edit flags [INF for their values].
    /// </summary>
    private JsonObject UserJson(FortiUser u, CmdbQuery q)
    {
        var o = new JsonObject { ["name"] = u.Name, ["q_origin_key"] = u.Name };
        string type = u.Fields.TryGetValue("type", out string t) ? t : "password";
        string twoFactor = u.Fields.TryGetValue("two-factor", out string tf) ? tf : "disable";
        foreach (var a in _userAttributes)
        {
            if (q != null && q.Skip && Skipped(a.Name, type, twoFactor, u.Fields)) continue;
            if (a.Name == "id") { o["id"] = u.Id; continue; }
            string v = u.Fields.TryGetValue(a.Name, out string x) ? x : a.Default;
            if (a.Name == PpkSecret) o[a.Name] = v.Length > 0 ? "ENC XXXX" : "";
            else if (a.IsInteger) o[a.Name] = long.TryParse(v, out long n) ? n : 0;
            else o[a.Name] = v;
            if (a.Name == "type" && !(q != null && q.Skip && type != "password")) o["passwd"] = "ENC XXXX";
        }
        if (q != null && q.WithMeta)
        {
            o["q_ref"] = _groups.Count(g => g.Members.Contains(u.Name, StringComparer.OrdinalIgnoreCase))
                         + _references.Count(r => string.Equals(r.user, u.Name, StringComparison.OrdinalIgnoreCase));
            o["q_static"] = false;
            o["q_no_rename"] = false;
            o["q_no_edit"] = false;
        }
        return o;
    }

    private static bool Skipped(string attribute, string type, string twoFactor, Dictionary<string, string> fields) => attribute switch
    {
        "ldap-server" => type != "ldap",
        "radius-server" => type != "radius",
        "tacacs+-server" => type != "tacacs+",
        "saml-server" => type != "saml",
        "two-factor-authentication" or "two-factor-notification" or "fortitoken" => twoFactor == "disable",
        "sms-custom-server" => !(fields.TryGetValue("sms-server", out string s) && s == "custom"),
        _ => false,
    };

    /// <summary>
    /// A cmdb table read with the query parameters applied: filter, then start/count, then format.
    /// "size" is the table size and "matched_count" the number the filter matched [2ND hfortix];
    /// "next_idx" (the index of the last returned entry) [INF].
    /// </summary>
    private Task CmdbTable(HttpContext ctx, string path, string name, CmdbQuery q, List<JsonObject> all)
    {
        var matched = all.Where(q.Matches).ToList();
        var page = q.Page(matched);
        var envelope = Envelope(ctx, path, name, null, new JsonArray(page.Select(o => (JsonNode)q.Shape(o)).ToArray()), cmdb: true);
        envelope["size"] = all.Count;
        envelope["matched_count"] = matched.Count;
        envelope["next_idx"] = q.Start + page.Count - 1;
        return Reply(ctx, envelope);
    }

    /// <summary>A malformed filter/start/count: 400 without an error number [INF].</summary>
    private Task BadQuery(HttpContext ctx, string path, string name) =>
        ErrorEnvelope(ctx, 400, null, path, name, null, cmdb: true);

    private Task ListUsers(HttpContext ctx)
    {
        var q = CmdbQuery.Parse(ctx, out _);
        if (q == null) return BadQuery(ctx, "user", "local");
        List<JsonObject> all;
        lock (_gate) all = _users.Select(u => UserJson(u, q)).ToList();
        return CmdbTable(ctx, "user", "local", q, all);
    }

    private Task GetUser(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        var q = CmdbQuery.Parse(ctx, out _);
        if (q == null) return BadQuery(ctx, "user", "local");
        JsonObject u;
        lock (_gate) { var x = FindUser(name); u = x == null ? null : UserJson(x, q); }
        if (u == null) return ErrorEnvelope(ctx, 404, -3, "user", "local", name, cmdb: true);
        return CmdbTable(ctx, "user", "local", q, new List<JsonObject> { u });
    }

    /// <summary>
    /// Validates the writable attributes of a body against the emulated version's schema; returns
    /// an error text or null. q_* metadata sent back by a client is ignored [INF].
    /// </summary>
    private string ValidateUserFields(JsonObject body, Dictionary<string, string> into)
    {
        foreach (var kv in body)
        {
            if (kv.Key == "name" || kv.Key == "passwd" || kv.Key == "id" || kv.Key.StartsWith("q_", StringComparison.Ordinal)) continue;
            var a = _userAttributes.FirstOrDefault(x => x.Name == kv.Key);
            if (a == null) return $"unknown attribute '{kv.Key}'";
            string v = HttpJson.Str(body, kv.Key);
            if (v == null) return $"attribute '{kv.Key}' must be a string or a number";
            if (a.IsInteger && !long.TryParse(v, out _)) return $"{kv.Key} must be a whole number";
            string[] options = FortiUserLocalSchema.OptionsFor(a, _version);
            if (options != null && !options.Contains(v)) return $"{kv.Key} must be one of {string.Join(", ", options)}";
            into[kv.Key] = v;
        }
        return null;
    }

    /// <summary>
    /// POST /api/v2/cmdb/user/local. Duplicate: http 424 + "error": -5 (-5 duplicate [2ND hfortix];
    /// 424 "failed dependency: duplicate" [CODE, see the class summary]). Invalid/missing attribute:
    /// 424 with "error": -651 [INF: no public source gives the code].
    /// </summary>
    private async Task CreateUser(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string name = HttpJson.Str(body, "name");
        _lab.UserCreateReceived(name);
        if (body == null || string.IsNullOrWhiteSpace(name) || name.Length > 64)
        { await ErrorEnvelope(ctx, 424, -651, "user", "local", null, cmdb: true); return; }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string err = ValidateUserFields(body, fields);
        string passwd = HttpJson.Str(body, "passwd");
        string type = fields.TryGetValue("type", out string t) ? t : "password";
        if (err == null && type == "password" && string.IsNullOrEmpty(passwd)) err = "passwd is required for type password";
        if (err != null) { await ErrorEnvelope(ctx, 424, -651, "user", "local", name, cmdb: true); return; }

        bool duplicate;
        lock (_gate)
        {
            duplicate = FindUser(name) != null;
            if (!duplicate)
            {
                var added = AddUser(name, fields, string.IsNullOrEmpty(passwd) ? HttpJson.NewSecret(12) : passwd);
                if (!fields.ContainsKey("passwd-time")) StampPasswordTime(added, true);
                _revision++;
            }
        }
        if (duplicate)
        {
            _lab.UserCreateDuplicate(name);
            await ErrorEnvelope(ctx, 424, -5, "user", "local", name, cmdb: true);
            return;
        }
        _lab.UserCreated(name);
        await WriteOk(ctx, "user", "local", name);
    }

    /// <summary>
    /// PUT /api/v2/cmdb/user/local/{name}: merges the given attributes; 404 + -3 when absent (ansible
    /// then POSTs [CODE]). "passwd" sets the password (the pre-7.4 way [CODE PowerFGT cmdb/user/local.ps1]). Renaming is not
    /// emulated: a different "name" answers 424 [INF].
    /// </summary>
    private async Task PutUser(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        if (body == null) { await ErrorEnvelope(ctx, 424, -651, "user", "local", name, cmdb: true); return; }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string err = ValidateUserFields(body, fields);
        string newName = HttpJson.Str(body, "name");
        if (newName != null && !string.Equals(newName, name, StringComparison.OrdinalIgnoreCase)) err ??= "rename not emulated";
        string passwd = HttpJson.Str(body, "passwd");
        if (body.ContainsKey("passwd") && string.IsNullOrEmpty(passwd)) err ??= "passwd must not be empty";
        int status = 200;
        string mkey = name;
        lock (_gate)
        {
            var u = FindUser(name);
            if (u == null) status = 404;
            else if (err != null) status = 424;
            else
            {
                foreach (var kv in fields) u.Fields[kv.Key] = kv.Value;
                if (passwd != null) SetPassword(u, passwd);
                if (!fields.ContainsKey("passwd-time")) StampPasswordTime(u, passwd != null);
                _revision++;
                mkey = u.Name;
            }
        }
        if (status == 404) await ErrorEnvelope(ctx, 404, -3, "user", "local", name, cmdb: true);
        else if (status == 424) await ErrorEnvelope(ctx, 424, -651, "user", "local", name, cmdb: true);
        else await WriteOk(ctx, "user", "local", mkey);
    }

    /// <summary>
    /// DELETE /api/v2/cmdb/user/local/{name}: 404 + -3 when absent (ansible counts 404 as success
    /// [CODE]); still a member of a group (or seeded reference, or named by a firewall policy) -> 424 + "error": -23 "entry in use"
    /// ([2ND hfortix]; the HTTP code is [INF]).
    /// </summary>
    private Task DeleteUser(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        int status;
        lock (_gate)
        {
            var u = FindUser(name);
            if (u == null) status = 404;
            else if (_groups.Any(g => g.Members.Contains(u.Name, StringComparer.OrdinalIgnoreCase))
                     || _references.Any(r => string.Equals(r.user, u.Name, StringComparison.OrdinalIgnoreCase))
                     || PolicyNames("users", u.Name))
                status = 424;
            else
            {
                _users.Remove(u);
                _revision++;
                status = 200;
            }
        }
        if (status == 404) return ErrorEnvelope(ctx, 404, -3, "user", "local", name, cmdb: true);
        if (status == 424) return ErrorEnvelope(ctx, 424, -23, "user", "local", name, cmdb: true);
        return WriteOk(ctx, "user", "local", name);
    }

    /// <summary>POST /api/v2/monitor/user/local/change-password {"username","new_password"} (7.4+).</summary>
    private async Task ChangePassword(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        if (!_hasChangePassword) { await ErrorEnvelope(ctx, 404, null, "user", "local", null, cmdb: false); return; }
        string user = HttpJson.Str(body, "username");
        string pw = HttpJson.Str(body, "new_password");
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(pw))
        { await ErrorEnvelope(ctx, 400, null, "user", "local", null, cmdb: false); return; }
        bool found;
        lock (_gate)
        {
            var u = FindUser(user);
            found = u != null;
            if (found) { SetPassword(u, pw); StampPasswordTime(u, true); _revision++; }
        }
        if (!found) { await ErrorEnvelope(ctx, 404, -3, "user", "local", null, cmdb: false); return; }
        await Monitor(ctx, "user", "local", "change-password", new JsonObject());
    }

    // ------------------------------------------------------------------------------ groups

    /// <summary>datasource=1 marks each member with the table it comes from [INF].</summary>
    private static JsonObject GroupJson(FortiGroup g, CmdbQuery q) => new JsonObject
    {
        ["name"] = g.Name,
        ["q_origin_key"] = g.Name,
        ["id"] = g.Id,
        ["group-type"] = "firewall",
        ["member"] = new JsonArray(g.Members.Select(m =>
        {
            var member = new JsonObject { ["name"] = m, ["q_origin_key"] = m };
            if (q != null && q.Datasource) member["datasource"] = "user.local";
            return (JsonNode)member;
        }).ToArray()),
    };

    private Task ListGroups(HttpContext ctx)
    {
        var q = CmdbQuery.Parse(ctx, out _);
        if (q == null) return BadQuery(ctx, "user", "group");
        List<JsonObject> all;
        lock (_gate) all = _groups.Select(g => GroupJson(g, q)).ToList();
        return CmdbTable(ctx, "user", "group", q, all);
    }

    private Task GetGroup(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        var q = CmdbQuery.Parse(ctx, out _);
        if (q == null) return BadQuery(ctx, "user", "group");
        JsonObject g;
        lock (_gate) { var x = FindGroup(name); g = x == null ? null : GroupJson(x, q); }
        if (g == null) return ErrorEnvelope(ctx, 404, -3, "user", "group", name, cmdb: true);
        return CmdbTable(ctx, "user", "group", q, new List<JsonObject> { g });
    }

    /// <summary>Reads "member":[{"name"}]; every member must be an existing local user (else -3 [INF]).</summary>
    private List<string> ReadMembers(JsonObject body, out bool bad)
    {
        bad = false;
        if (body == null || !body.ContainsKey("member")) return null;
        if (body["member"] is not JsonArray arr) { bad = true; return null; }
        var list = new List<string>();
        foreach (var item in arr)
        {
            string n = item is JsonObject o ? HttpJson.Str(o, "name") : null;
            var u = n == null ? null : FindUser(n);
            if (u == null) { bad = true; return null; }
            if (!list.Contains(u.Name, StringComparer.OrdinalIgnoreCase)) list.Add(u.Name);
        }
        return list;
    }

    private async Task CreateGroup(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string name = HttpJson.Str(body, "name");
        if (string.IsNullOrWhiteSpace(name)) { await ErrorEnvelope(ctx, 424, -651, "user", "group", null, cmdb: true); return; }
        int? error = null;
        lock (_gate)
        {
            var members = ReadMembers(body, out bool bad);
            if (bad) error = -3;
            else if (FindGroup(name) != null) error = -5;
            else
            {
                _groups.Add(new FortiGroup { Name = name, Id = _groups.Count == 0 ? 1 : _groups.Max(g => g.Id) + 1, Members = members ?? new List<string>() });
                _revision++;
            }
        }
        if (error != null) await ErrorEnvelope(ctx, 424, error, "user", "group", name, cmdb: true);
        else await WriteOk(ctx, "user", "group", name);
    }

    private async Task PutGroup(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        int status = 200;
        int? error = null;
        lock (_gate)
        {
            var g = FindGroup(name);
            if (g == null) { status = 404; error = -3; }
            else
            {
                var members = ReadMembers(body, out bool bad);
                if (body == null || bad) { status = 424; error = -3; }
                else
                {
                    if (members != null) g.Members = members;
                    _revision++;
                }
            }
        }
        if (status != 200) await ErrorEnvelope(ctx, status, error, "user", "group", name, cmdb: true);
        else await WriteOk(ctx, "user", "group", name);
    }

    private Task DeleteGroup(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        bool found, inUse = false;
        lock (_gate)
        {
            var g = FindGroup(name);
            found = g != null;
            inUse = found && PolicyNames("groups", g.Name);
            if (found && !inUse) { _groups.Remove(g); _revision++; }
        }
        if (inUse) return ErrorEnvelope(ctx, 424, -23, "user", "group", name, cmdb: true);
        return found ? WriteOk(ctx, "user", "group", name) : ErrorEnvelope(ctx, 404, -3, "user", "group", name, cmdb: true);
    }

    // ------------------------------------------------------------------------------ SSL-VPN

    private Task SslSettings(HttpContext ctx)
    {
        JsonObject settings;
        lock (_gate)
        {
            settings = new JsonObject
            {
                ["status"] = "enable",
                ["port"] = 10443,
                ["servercert"] = "Fortinet_Factory",
                ["idle-timeout"] = 300,
                ["auth-timeout"] = 28800,
                ["login-attempt-limit"] = 2,
                ["default-portal"] = _sslDefaultPortal,
                ["authentication-rule"] = _sslAuthRules.DeepClone(),
                ["source-interface"] = new JsonArray(new JsonObject { ["name"] = "port1" }),
                ["source-address"] = new JsonArray(new JsonObject { ["name"] = "all" }),
                ["tunnel-ip-pools"] = _tunnelRemoved ? new JsonArray() : new JsonArray(new JsonObject { ["name"] = "SSLVPN_TUNNEL_ADDR1" }),
                // Emulator-only field [INF]: FortiGate has no documented SSL-VPN user licence field.
                ["x-lab-max-users"] = _capacity,
            };
        }
        return Cmdb(ctx, "vpn.ssl", "settings", settings);
    }

    /// <summary>last_login_time format [INF]: "yyyy-MM-dd HH:mm:ss" (UTC). Other fields [CODE PowerFGT monitor/vpn/ssl.ps1; public code].</summary>
    private static JsonObject SessionJson(FortiSession s) => new JsonObject
    {
        ["index"] = s.Index,
        ["user_name"] = s.User,
        ["remote_host"] = s.RemoteHost,
        ["last_login_time"] = s.LastLogin.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        ["subsessions"] = new JsonArray(s.Subs.Select(x => (JsonNode)new JsonObject
        {
            ["index"] = x.Index,
            ["aip"] = x.Aip,
            ["in_bytes"] = x.InBytes,
            ["out_bytes"] = x.OutBytes,
        }).ToArray()),
    };

    private Task SslSessions(HttpContext ctx)
    {
        JsonArray list;
        lock (_gate) list = new JsonArray(_sessions.Select(s => (JsonNode)SessionJson(s)).ToArray());
        return Monitor(ctx, "vpn", "ssl", "select", list);
    }

    /// <summary>Unknown index -> 404 [INF]; missing/invalid type or index -> 400 [INF].</summary>
    private async Task SslDelete(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string type = HttpJson.Str(body, "type");
        long? index = HttpJson.Int(body, "index");
        if ((type != "websession" && type != "subsession") || index == null)
        { await ErrorEnvelope(ctx, 400, null, "vpn", "ssl", null, cmdb: false); return; }
        bool found = false;
        lock (_gate)
        {
            if (type == "websession")
            {
                found = _sessions.RemoveAll(s => s.Index == index) > 0;
            }
            else
            {
                foreach (var s in _sessions)
                    if (s.Subs.RemoveAll(x => x.Index == index) > 0) { found = true; break; }
            }
        }
        if (!found) { await ErrorEnvelope(ctx, 404, null, "vpn", "ssl", null, cmdb: false); return; }
        await Monitor(ctx, "vpn", "ssl", "delete", new JsonObject());
    }

    private async Task SslClearTunnel(HttpContext ctx)
    {
        await HttpJson.ReadBody(ctx);
        lock (_gate) foreach (var s in _sessions) s.Subs.Clear();
        await Monitor(ctx, "vpn", "ssl", "clear_tunnel", new JsonObject());
    }

    private Task SslStats(HttpContext ctx)
    {
        JsonObject stats;
        lock (_gate)
        {
            int users = _sessions.Select(s => s.User).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            stats = new JsonObject
            {
                ["current"] = new JsonObject
                {
                    ["users"] = users,
                    ["web_sessions"] = _sessions.Count,
                    ["tunnels"] = _sessions.Sum(s => s.Subs.Count),
                },
                ["max"] = new JsonObject { ["users"] = _capacity, ["tunnels"] = _tunnelRemoved ? 0 : _capacity },
            };
        }
        return Monitor(ctx, "vpn", "ssl", "stats", stats);
    }

    // ------------------------------------------------------------------------------ system

    private Task HaPeer(HttpContext ctx)
    {
        var list = new JsonArray(
            new JsonObject { ["serial_no"] = _serial, ["vcluster_id"] = 0, ["priority"] = 200, ["hostname"] = Hostname, ["primary"] = true },
            new JsonObject { ["serial_no"] = _peerSerial, ["vcluster_id"] = 0, ["priority"] = 100, ["hostname"] = PeerHostname, ["primary"] = false });
        return Monitor(ctx, "system", "ha-peer", "select", list);
    }

    private Task HaChecksums(HttpContext ctx)
    {
        string sum, peerSum;
        lock (_gate)
        {
            sum = Revision;
            peerSum = _haInSync ? sum : Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes("peer" + _revision))).Substring(0, 32).ToLowerInvariant();
        }
        JsonObject Checksum(string s) => new JsonObject { ["global"] = s, ["root"] = s, ["all"] = s };
        var list = new JsonArray(
            new JsonObject { ["is_manage_primary"] = 1, ["is_root_primary"] = 1, ["serial_no"] = _serial, ["checksum"] = Checksum(sum) },
            new JsonObject { ["is_manage_primary"] = 0, ["is_root_primary"] = 0, ["serial_no"] = _peerSerial, ["checksum"] = Checksum(peerSum) });
        return Monitor(ctx, "system", "ha-checksums", "select", list);
    }

    private Task HaStatistics(HttpContext ctx)
    {
        int sessions;
        lock (_gate) sessions = _sessions.Count;
        var list = new JsonArray(
            new JsonObject { ["serial_no"] = _serial, ["hostname"] = Hostname, ["sessions"] = sessions, ["cpu_usage"] = 4, ["mem_usage"] = 38, ["tbyte"] = 0 },
            new JsonObject { ["serial_no"] = _peerSerial, ["hostname"] = PeerHostname, ["sessions"] = 0, ["cpu_usage"] = 1, ["mem_usage"] = 35, ["tbyte"] = 0 });
        return Monitor(ctx, "system", "ha-statistics", "select", list);
    }

    private Task SystemStatus(HttpContext ctx) => Monitor(ctx, "system", "status", "select", new JsonObject
    {
        ["model_name"] = "FortiGate",
        ["model_number"] = "VM64",
        ["model"] = "FGVM64",
        ["hostname"] = Hostname,
        ["log_disk_status"] = "available",
    });

    private Task Firmware(HttpContext ctx) => Monitor(ctx, "system", "firmware", "select", new JsonObject
    {
        ["current"] = new JsonObject
        {
            ["version"] = _versionText,
            ["major"] = _version[0],
            ["minor"] = _version[1],
            ["patch"] = _version[2],
            ["build"] = _build,
            ["platform-id"] = "FGVM64",
        },
        ["available"] = new JsonArray(),
    });

    private Task LicenseStatus(HttpContext ctx) => Monitor(ctx, "license", "status", "select", new JsonObject
    {
        ["vm"] = new JsonObject { ["type"] = "lab", ["status"] = "licensed" },
    });

    private async Task Backup(HttpContext ctx)
    {
        bool post = HttpMethods.IsPost(ctx.Request.Method);
        string scope;
        if (post)
        {
            var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
            scope = HttpJson.Str(body, "scope");
        }
        else scope = HttpJson.Query(ctx, "scope");
        if (post != _backupIsPost)
        {
            ctx.Response.Headers.Allow = _backupIsPost ? "POST" : "GET";
            await ErrorEnvelope(ctx, 405, null, "system", "config", null, cmdb: false);
            return;
        }
        if (scope != "global" && scope != "vdom") { await ErrorEnvelope(ctx, 400, null, "system", "config", null, cmdb: false); return; }
        string text;
        lock (_gate) text = ConfigText(scope);
        ctx.Response.Headers.ContentDisposition = "attachment; filename=\"" + Hostname + ".conf\"";
        await HttpJson.WriteText(ctx, 200, "application/octet-stream", text);
    }

    /// <summary>A FortiOS-style config text (lab data). Passwords appear only as "ENC ..." stand-ins.</summary>
    private string ConfigText(string scope)
    {
        var sb = new StringBuilder();
        string ver = $"{_version[0]}.{_version[1]:00}.{_version[2]}";
        sb.Append("#config-version=FGVM64-").Append(ver).Append("-FW-build").Append(_build).Append("-lab:opmode=0:vdom=0:user=").Append(ApiAdmin).Append('\n');
        sb.Append("#conf_file_ver=").Append(_revision).Append('\n');
        sb.Append("#buildno=").Append(_build).Append('\n');
        sb.Append("#global_vdom=1\n");
        if (scope == "global")
        {
            sb.Append("config system global\n");
            sb.Append("    set hostname \"").Append(Hostname).Append("\"\n");
            sb.Append("    set rest-api-key-url-query ").Append(_urlQuery ? "enable" : "disable").Append('\n');
            sb.Append("end\n");
        }
        sb.Append("config user local\n");
        foreach (var u in _users)
        {
            sb.Append("    edit \"").Append(u.Name).Append("\"\n");
            // Like "show": the fields PowerFGT sends when set, and any other attribute that differs
            // from its default [INF]. Secrets never appear.
            foreach (var a in _userAttributes)
            {
                if (a.Name == "id" || a.Name == PpkSecret || !u.Fields.TryGetValue(a.Name, out string v)) continue;
                bool shown = BackupFields.Contains(a.Name) ? v.Length > 0 : v != a.Default;
                if (shown) sb.Append("        set ").Append(a.Name).Append(' ').Append(Quote(a.Name, v)).Append('\n');
            }
            sb.Append("        set passwd ").Append(u.EncPassword).Append('\n');
            sb.Append("    next\n");
        }
        sb.Append("end\n");
        sb.Append("config user group\n");
        foreach (var g in _groups)
        {
            sb.Append("    edit \"").Append(g.Name).Append("\"\n");
            if (g.Members.Count > 0) sb.Append("        set member ").Append(string.Join(' ', g.Members.Select(m => "\"" + m + "\""))).Append('\n');
            sb.Append("    next\n");
        }
        sb.Append("end\n");
        sb.Append("config vpn ssl settings\n");
        sb.Append("    set servercert \"Fortinet_Factory\"\n");
        if (!_tunnelRemoved) sb.Append("    set tunnel-ip-pools \"SSLVPN_TUNNEL_ADDR1\"\n");
        sb.Append("    set port 10443\n");
        sb.Append("    set source-interface \"port1\"\n");
        sb.Append("    set source-address \"all\"\n");
        sb.Append("end\n");
        return sb.ToString();
    }

    private static string Quote(string field, string v) =>
        field == "status" || field == "type" || field == "two-factor" ? v : "\"" + v + "\"";

    // ------------------------------------------------------------------------------ helpers

    private static string NewToken()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return new string(RandomNumberGenerator.GetItems<char>(alphabet, 30));
    }

    private static string Digits(int n) => new string(RandomNumberGenerator.GetItems<char>("0123456789", n));
}
