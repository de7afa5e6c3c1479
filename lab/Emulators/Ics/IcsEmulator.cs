using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace RemoteOps.Lab.Emulators.Ics;

/// <summary>
/// Ivanti Connect Secure (ICS, formerly Pulse Connect Secure) REST API under /api/v1.
///
/// Every endpoint below cites its public source with an evidence tag (see lab/Emulators/README.md):
/// [DOC] vendor documentation, [CODE] public client code, [2ND] third-party summary of vendor
/// documentation, [INF] inferred / unverified: an emulator choice. Documents cited by short name:
///   "ICS 22.x REST guide" = help.ivanti.com/ps/help/en_US/ICS/22.x/apig/rest_api_soln_guide/
///     (ovw.htm overview, icsips_configs_using_restapis.htm active users, ics_spec_configs__using_restapis.htm)
///   "IPS vNow REST overview" = help.ivanti.com/ps/help/en_US/IPS/vNow/pcs-pps-rest-api/overview.htm
///   "PCS 9.1R9 REST guide" = help.ivanti.com/ps/legacy/PCS/9.1Rx/9.1R9/ps-pcs-pps-9.1r9.0-rest-api-solutions-guide.pdf
///   oxidized = github.com/ytti/oxidized lib/oxidized/model/ivanti.rb
///   Forescout = github.com/Forescout/eyeExtend-Connect "Pulse Secure/PulseSecure-1.0.4/pulsesecure_library.py"
///   api-evangelist = github.com/api-evangelist/pulse authentication/pulse-authentication.yml
///   Go client = a public Go client of the local-users API (its repository is not named)
///
/// General rules [DOC IPS vNow REST overview; ICS 22.x REST guide ovw.htm]: JSON only; 200 for
/// GET/PUT, 201 for POST, 204 for DELETE; 400/401/403/404; 422 when another object still
/// references the one touched. Error bodies are NOT documented (only the success body is, in
/// ics_spec_configs__using_restapis.htm): this emulator answers
/// {"result":{"errors":[{"message":"..."}]}} mirroring the documented success body
/// {"result":{"info":[{"message":"..."}]}} [INF].
/// </summary>
internal sealed partial class IcsEmulator : IApplianceEmulator
{
    private const string SystemLocal = "System Local";
    private const string TotpServer = "Lab TOTP";
    private const string ClusterName = "ics-lab-cluster";
    private const string OkMessage = "Operation succeeded without warning or error!";

    // Cluster status bits [DOC help.ivanti.com/ps/help/en_US/ICS/22.x/clcg/cluster_status_codes.htm]. 0x002000 is
    // double-booked in that table ("owns the VIPs" vs "syncing to a joining node") and is not used.
    private const int Enabled = 0x000004;
    private const int Unreachable = 0x000008;
    private const int ConfiguredMember = 0x001000;
    private const int Leader = 0x008000;
    private const int GroupCommOk = 0x010000;

    private static readonly (string name, string address, int status)[] SeedNodes =
    {
        ("ics-lab-1", "198.18.200.11", Leader | Enabled | GroupCommOk),
        ("ics-lab-2", "198.18.200.12", ConfiguredMember | Enabled | GroupCommOk),
    };

    private readonly LabRuntime _lab;
    private readonly EmulatorOptions _opt;
    private readonly int[] _version;
    private readonly bool _is22x;
    private readonly bool _legacyAuthRemoved;
    private readonly string _adminUser = "admin";
    private readonly string _adminPassword = HttpJson.NewSecret(18);
    private readonly string _serial = "ICSLAB" + RandomDigits(8);
    private readonly string _machineId = HttpJson.NewSecret(12);

    private readonly object _gate = new object();
    private readonly Dictionary<string, DateTime> _apiKeys = new Dictionary<string, DateTime>(StringComparer.Ordinal);
    private Dictionary<string, Dictionary<string, IcsUser>> _servers;
    private List<IcsReference> _references;
    private List<IcsSession> _sessions;
    private Dictionary<string, IcsSession> _sessionsById;
    private Dictionary<string, int> _nodeStatus;
    private int _sessionSerial;
    private int _capacity;
    private int _apiKeyIdleSec;

    public IcsEmulator(LabRuntime lab)
    {
        _lab = lab;
        _opt = lab.Options;
        _version = EmulatorOptions.IcsVersion(_opt.Version);
        _is22x = _version[0] >= 22;
        _legacyAuthRemoved = EmulatorOptions.Compare(_version, new[] { 22, 7, 2, 1 }) >= 0;
        Reset();
        _apiKeyIdleSec = _opt.ApiKeyIdleSec;
    }

    private sealed class IcsUser
    {
        public string Username, Fullname, Password;
        public bool Enabled, ChangePasswordAtSignin;

        // When the password was last set: the auth server's "force password change after n days" counts from here.
        public DateTime PasswordSetAt = DateTime.UtcNow;
    }

    private sealed class IcsReference
    {
        public string Server, User, By, Realm, Rule;
        public string Describe() => Rule != null ? $"role-mapping rule '{Rule}' of user realm '{Realm}'" : By;
    }

    private sealed class IcsSession
    {
        public string Id, User, Realm, Roles, Node, NcIp, SourceIp, AgentType, ClientVersion, AuthServer;
        public DateTime SignIn;
    }

    // =====================================================================================
    // Lab hooks
    // =====================================================================================

    public void Reset()
    {
        lock (_gate)
        {
            _servers = new Dictionary<string, Dictionary<string, IcsUser>>(StringComparer.OrdinalIgnoreCase)
            {
                [SystemLocal] = new Dictionary<string, IcsUser>(StringComparer.OrdinalIgnoreCase),
                [_opt.SecondAuthServer] = new Dictionary<string, IcsUser>(StringComparer.OrdinalIgnoreCase),
            };
            AddSeed(SystemLocal, "alice", "Alice Example", true);
            AddSeed(SystemLocal, "bob", "Bob Example", true);
            AddSeed(_opt.SecondAuthServer, "carol", "Carol Contractor", true);
            _references = new List<IcsReference>();
            _sessions = new List<IcsSession>();
            _sessionsById = new Dictionary<string, IcsSession>(StringComparer.Ordinal);
            _nodeStatus = SeedNodes.ToDictionary(n => n.name, n => n.status, StringComparer.OrdinalIgnoreCase);
            _sessionSerial = 0;
            _capacity = _opt.Capacity;
            _apiKeyIdleSec = _opt.ApiKeyIdleSec;
            ResetSignIn();
            ResetAccountPolicies();
        }
    }

    private void AddSeed(string server, string name, string fullname, bool enabled)
    {
        _servers[server][name] = new IcsUser
        {
            Username = name, Fullname = fullname, Enabled = enabled,
            Password = HttpJson.NewSecret(12), ChangePasswordAtSignin = false,
        };
    }

    public void FillEndpointInfo(JsonObject o)
    {
        o["adminUser"] = _adminUser;
        o["adminPassword"] = _adminPassword;
        o["adminRealm"] = _opt.AdminRealms[0];
        o["adminRealms"] = new JsonArray(_opt.AdminRealms.Select(r => (JsonNode)r).ToArray());
        o["localAuthServers"] = new JsonArray(SystemLocal, _opt.SecondAuthServer);
        o["userRealms"] = new JsonArray("Users", "Contractors");
        o["totpServer"] = TotpServer;
        o["legacyAuthSupported"] = !_legacyAuthRemoved;
        o["activeUsersPageCap"] = _is22x ? 200 : null;
        o["signInUrl"] = SignInBase + "welcome.cgi";
    }

    public JsonObject SeedSessions(JsonObject body, out string error)
    {
        error = null;
        long count = HttpJson.Int(body, "count") ?? 1;
        if (count < 1 || count > 20000) { error = "count must be in 1..20000"; return null; }
        string prefix = HttpJson.Str(body, "userPrefix") ?? "user";
        string fixedUser = HttpJson.Str(body, "user");
        string realm = HttpJson.Str(body, "realm") ?? "Users";
        string node = HttpJson.Str(body, "node");
        if (realm != "Users" && realm != "Contractors" && !_opt.AdminRealms.Contains(realm))
        { error = $"unknown realm '{realm}'"; return null; }
        if (node != null && !SeedNodes.Any(n => n.name == node)) { error = $"unknown node '{node}'"; return null; }

        var ids = new JsonArray();
        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                int serial = ++_sessionSerial;
                var s = new IcsSession
                {
                    Id = "sid" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant() + "00000000",
                    User = fixedUser ?? prefix + serial.ToString("D4", CultureInfo.InvariantCulture),
                    Realm = realm,
                    Roles = realm == "Contractors" ? "Contractors" : (_opt.AdminRealms.Contains(realm) ? ".Administrators" : "Users"),
                    AuthServer = realm == "Contractors" ? _opt.SecondAuthServer : (_opt.AdminRealms.Contains(realm) ? "Administrators" : SystemLocal),
                    Node = node ?? SeedNodes[(serial - 1) % SeedNodes.Length].name,
                    // Data only: these addresses are strings in JSON, nothing is ever sent to them.
                    NcIp = $"10.200.{(serial / 250) % 250}.{serial % 250 + 1}",
                    SourceIp = $"198.19.{(serial / 250) % 250}.{serial % 250 + 1}",
                    AgentType = serial % 3 == 0 ? "Linux Ivanti Secure Access Client" : "Windows 11 Ivanti Secure Access Client",
                    ClientVersion = serial % 5 == 0 ? null : "22.7.2.1234",
                    SignIn = DateTime.UtcNow.AddSeconds(-serial),
                };
                _sessions.Add(s);
                _sessionsById[s.Id] = s;
                ids.Add(s.Id);
            }
            return new JsonObject { ["added"] = count, ["total"] = _sessions.Count, ["sessionIds"] = ids };
        }
    }

    public int ClearSessions()
    {
        lock (_gate)
        {
            int n = _sessions.Count;
            _sessions.Clear();
            _sessionsById.Clear();
            return n;
        }
    }

    public JsonObject AddReference(JsonObject body, out string error)
    {
        error = null;
        string user = HttpJson.Str(body, "user");
        string by = HttpJson.Str(body, "by");
        string server = HttpJson.Str(body, "server") ?? SystemLocal;
        string realm = HttpJson.Str(body, "realm") ?? (string.Equals(server, SystemLocal, StringComparison.OrdinalIgnoreCase) ? "Users" : "Contractors");
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(by)) { error = "user and by are required"; return null; }
        lock (_gate)
        {
            if (!_servers.TryGetValue(server, out var users)) { error = $"unknown auth server '{server}'"; return null; }
            if (!users.ContainsKey(user)) { error = $"user '{user}' does not exist on '{server}'"; return null; }
            var r = new IcsReference { Server = server, User = user, By = by, Realm = realm };
            const string rulePrefix = "role-mapping rule ";
            if (by.StartsWith(rulePrefix, StringComparison.OrdinalIgnoreCase)) r.Rule = by.Substring(rulePrefix.Length).Trim();
            _references.Add(r);
            return new JsonObject { ["user"] = user, ["server"] = server, ["referencedBy"] = r.Describe(), ["references"] = _references.Count };
        }
    }

    public JsonObject ExpireCredentials()
    {
        lock (_gate)
        {
            int n = _apiKeys.Count;
            _apiKeys.Clear();
            return new JsonObject { ["apiKeysExpired"] = n };
        }
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
                        case "apiKeyIdleSec":
                            if (!HttpJson.IntInRange(changes, "apiKeyIdleSec", 1, 86400, out int s, out error)) return null;
                            _apiKeyIdleSec = s;
                            break;
                        case "nodeStatus":
                            if (kv.Value is not JsonObject ns) { error = "nodeStatus must be an object {node: statusCode}"; return null; }
                            foreach (var n in ns)
                            {
                                long? code = HttpJson.Int(ns, n.Key);
                                if (!_nodeStatus.ContainsKey(n.Key) || code == null || code < 0 || code > 0xFFFFFF)
                                { error = $"nodeStatus: unknown node '{n.Key}' or bad code"; return null; }
                                _nodeStatus[n.Key] = (int)code;
                            }
                            break;
                        default:
                            if (AccountSetting(kv.Key, changes, out error))
                            {
                                if (error != null) return null;
                                break;
                            }
                            if (SignInSetting(kv.Key, changes, out error))
                            {
                                if (error != null) return null;
                                break;
                            }
                            error = $"unknown setting '{kv.Key}'; known: capacity, apiKeyIdleSec, nodeStatus, signInLockoutAttempts, signInLockoutSec, passwordMaxAgeDays, passwordAgeDays, realmRules";
                            return null;
                    }
                }
            }
            var nodes = new JsonObject();
            foreach (var n in SeedNodes) nodes[n.name] = _nodeStatus[n.name];
            return new JsonObject
            {
                ["capacity"] = _capacity, ["apiKeyIdleSec"] = _apiKeyIdleSec, ["nodeStatus"] = nodes,
                ["signInLockoutAttempts"] = _lockoutAttempts, ["signInLockoutSec"] = _lockoutSec,
                ["passwordMaxAgeDays"] = _passwordMaxAgeDays, ["realmRules"] = RealmRulesJson(),
            };
        }
    }

    public JsonObject Summary()
    {
        lock (_gate)
        {
            var users = new JsonObject();
            foreach (var s in _servers) users[s.Key] = s.Value.Count;
            return new JsonObject
            {
                ["users"] = users,
                ["activeSessions"] = _sessions.Count,
                ["apiKeys"] = _apiKeys.Count,
                ["references"] = _references.Count,
            };
        }
    }

    public Task WriteFault(HttpContext ctx, int status, string message) => Error(ctx, status, message);

    public Task WriteNotFound(HttpContext ctx) => Error(ctx, 404, "Resource not found");

    // =====================================================================================
    // Endpoints
    // =====================================================================================

    public void Map(WebApplication app)
    {
        const string users = "/api/v1/configuration/authentication/auth-servers/auth-server/{server}/local/users";

        // Legacy login [DOC PCS 9.1R9 REST guide; CODE Forescout]. "Not supported from 22.7R2.1
        // release onwards" [2ND api-evangelist, quoting ICS 22.x REST guide ovw.htm],
        // modelled as a version switch answering 404 [INF: the exact status on a real 22.7R2.1 is unknown].
        app.MapGet("/api/v1/auth", LegacyAuth);

        // Current login [CODE oxidized] posts to /api/v1/realm_auth; [CODE Forescout] posts to
        // /api/v1/auth/realm_auth without a JSON Content-Type. Both paths, any Content-Type [INF].
        // resume_id (second factor) is [2ND/INF] and not emulated.
        app.MapPost("/api/v1/realm_auth", RealmAuth);
        app.MapPost("/api/v1/auth/realm_auth", RealmAuth);

        // Auth servers [CODE Go client]; reply shape {"auth-server":[{"name","type","href"}]} [INF].
        // Path names percent-encoded [DOC PCS 9.1R9 REST guide, topic "URL Encoding"].
        // The top of the configuration tree: a tree of hrefs [2ND api-evangelist]; its keys [INF].
        app.MapGet("/api/v1/configuration", Authed(ConfigurationRoot));
        app.MapGet("/api/v1/configuration/authentication/auth-servers", Authed(ListAuthServers));
        app.MapGet("/api/v1/configuration/authentication/auth-servers/auth-server/{server}", Authed(GetAuthServer));

        // Local users [CODE Go client].
        app.MapGet(users, Authed(ListUsers));
        // POST .../users/user/ (trailing slash as the Go client sends it; routing also matches without).
        app.MapPost(users + "/user/", Authed(CreateUser));
        app.MapGet(users + "/user/{user}", Authed(GetUser));
        app.MapDelete(users + "/user/{user}", Authed(DeleteUser));
        // Whole-object PUT and leaf GET: the configuration tree takes GET/POST/PUT/DELETE on its
        // objects [DOC IPS vNow REST overview], and every attribute has its own href, as
        // .../user/{u}/enabled and .../password-cleartext above show [CODE Go client]. A leaf
        // answers {"<attribute>": value}; password-cleartext is never readable [INF].
        app.MapPut(users + "/user/{user}", Authed(PutWholeUser));
        app.MapGet(users + "/user/{user}/{leaf}", Authed(GetUserLeaf));
        app.MapPut(users + "/user/{user}/enabled", Authed(PutEnabled));
        app.MapPut(users + "/user/{user}/password-cleartext", Authed(PutPassword));

        // TOTP reset/unlock [CODE Go client]: 200, text contains "has been reset" / "has been
        // unlocked". Body wrapper [INF].
        app.MapPut("/api/v1/totp/{totp}/users/{user}", Authed(TotpOperation));

        // Realms and roles: paths and role-mapping-rules/rule fields (name, user-name test "is",
        // user-names, roles, stop) [CODE public client code]. JSON nesting of the rule and the list
        // replies [INF]. Admin realms path [INF].
        app.MapGet("/api/v1/configuration/users/user-realms", Authed(ListRealms));
        app.MapGet("/api/v1/configuration/users/user-realms/realm/{name}", Authed(GetRealm));
        app.MapGet("/api/v1/configuration/users/user-roles", Authed(ListRoles));
        app.MapGet("/api/v1/configuration/users/user-roles/user-role/{name}", Authed(GetRole));
        app.MapGet("/api/v1/configuration/administrators/admin-realms/realm/{name}", Authed(GetAdminRealm));

        // Active sessions [DOC ICS 22.x REST guide icsips_configs_using_restapis.htm: paging, 200 cap,
        // is-last-record, record fields]; ?name= [DOC IPS vNow icsips-configs-using-restapis.htm; CODE Forescout].
        app.MapGet("/api/v1/system/active-users", Authed(ActiveUsers));
        // Sign out: 204 [CODE Forescout; CODE Go client].
        app.MapDelete("/api/v1/system/active-users/session/{id}", Authed(DeleteSession));

        // System information [CODE several public scripts].
        app.MapGet("/api/v1/system/system-information", Authed(SystemInformation));

        // Binary configuration export: base64 text [CODE oxidized: the body is read as text, lines
        // stripped and joined]; POST ?export=system_config|user_config [2ND api-evangelist]. The
        // file itself is opaque (only an appliance can import it): here random bytes [INF].
        // PUT ?import= is [2ND] and not emulated.
        app.MapGet("/api/v1/system/binary-configuration", Authed(BinaryConfiguration));
        app.MapPost("/api/v1/system/binary-configuration", Authed(BinaryConfiguration));

        // Health check /api/v1/system/healthcheck?status=all [2ND api-evangelist]; reply shape [INF].
        app.MapGet("/api/v1/system/healthcheck", Authed(HealthCheck));

        // Cluster status: EMULATOR-ONLY [INF]. The status codes are documented as the admin-console
        // tooltip value; no REST field carrying them is documented. Codes from the ICS 22.x
        // cluster_status_codes.htm table [DOC].
        app.MapGet("/api/v1/system/cluster/status", Authed(ClusterStatus));

        // Licensed concurrent users: EMULATOR-ONLY [INF]: no public document or client shows a REST
        // field for the licensed concurrent users. The documented "user-login-permission" of
        // active-users is modelled as "below licensed capacity" [INF].
        app.MapGet("/api/v1/license/concurrent-users", Authed(ConcurrentUsers));

        // The user sign-in (the web sign-in form, not the REST API): IcsEmulator.SignIn.cs.
        MapSignIn(app);
    }

    // ------------------------------------------------------------------------------ auth

    private static bool TryBasic(HttpContext ctx, out string user, out string pass)
    {
        user = pass = null;
        string h = ctx.Request.Headers.Authorization;
        if (h == null || !h.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            string s = Encoding.UTF8.GetString(Convert.FromBase64String(h.Substring(6).Trim()));
            int i = s.IndexOf(':');
            if (i < 0) return false;
            user = s.Substring(0, i);
            pass = s.Substring(i + 1);
            return true;
        }
        catch (FormatException) { return false; }
    }

    private bool AdminCredentialsOk(HttpContext ctx) =>
        TryBasic(ctx, out string u, out string p) && u == _adminUser && HttpJson.FixedEquals(p, _adminPassword);

    /// <summary>
    /// Later calls: Basic with api_key as user name and an empty password [DOC vNow page "curl -k -u
    /// &lt;api-key&gt;:"; CODE oxidized]. Unknown, expired (idle past the admin session timeout
    /// [2ND api-evangelist]) or missing key: 401 (clients re-login on 401 [CODE Forescout]).
    /// </summary>
    private RequestDelegate Authed(Func<HttpContext, Task> handler)
    {
        return ctx =>
        {
            if (!TryBasic(ctx, out string key, out string pass) || pass.Length != 0 || !KeyValid(key))
                return Error(ctx, 401, "Authentication required: api_key missing, unknown or expired; sign in again with POST /api/v1/realm_auth");
            return handler(ctx);
        };
    }

    private bool KeyValid(string key)
    {
        lock (_gate)
        {
            if (!_apiKeys.TryGetValue(key, out DateTime last)) return false;
            DateTime now = DateTime.UtcNow;
            if ((now - last).TotalSeconds > _apiKeyIdleSec) { _apiKeys.Remove(key); return false; }
            _apiKeys[key] = now;
            return true;
        }
    }

    private string IssueKey()
    {
        // Real keys look like base64 of 32 bytes ("K7Z7xA54...=" in the 9.1R13 doc example).
        string key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        lock (_gate) _apiKeys[key] = DateTime.UtcNow;
        return key;
    }

    private Task LegacyAuth(HttpContext ctx)
    {
        if (_legacyAuthRemoved)
            return Error(ctx, 404, $"/api/v1/auth is not supported from 22.7R2.1 (this appliance runs {_opt.Version}); use POST /api/v1/realm_auth");
        if (!AdminCredentialsOk(ctx)) return Error(ctx, 401, "Invalid username or password");
        return HttpJson.Write(ctx, 200, new JsonObject { ["api_key"] = IssueKey() });
    }

    private async Task RealmAuth(HttpContext ctx)
    {
        string text = await HttpJson.ReadBody(ctx);
        if (!AdminCredentialsOk(ctx)) { await Error(ctx, 401, "Invalid username or password"); return; }
        // Lenient on Content-Type ([CODE Forescout] posts a form body): JSON first, then a form body realm=..., whatever the header says.
        string realm = HttpJson.Str(HttpJson.ParseObject(text), "realm");
        if (realm == null && !string.IsNullOrWhiteSpace(text) && !text.TrimStart().StartsWith('{'))
        {
            var form = QueryHelpers.ParseQuery(text);
            if (form.TryGetValue("realm", out var v) && v.Count > 0) realm = v[0];
        }
        if (string.IsNullOrEmpty(realm)) { await Error(ctx, 400, "realm is required: {\"realm\": \"<admin realm>\"}"); return; }
        // Any configured admin realm (oxidized takes the realm as a setting [CODE]); an unknown realm is refused like bad credentials [INF].
        if (!_opt.AdminRealms.Contains(realm, StringComparer.Ordinal))
        { await Error(ctx, 401, $"Sign-in to realm '{realm}' is not allowed for this administrator"); return; }
        await HttpJson.Write(ctx, 200, new JsonObject { ["api_key"] = IssueKey() });
    }

    // ------------------------------------------------------------------------------ auth servers and users

    private Task ListAuthServers(HttpContext ctx)
    {
        var list = new JsonArray();
        foreach (string name in new[] { SystemLocal, _opt.SecondAuthServer })
            list.Add(new JsonObject
            {
                ["name"] = name,
                ["type"] = "local",
                ["href"] = "/api/v1/configuration/authentication/auth-servers/auth-server/" + Uri.EscapeDataString(name),
            });
        return HttpJson.Write(ctx, 200, new JsonObject { ["auth-server"] = list });
    }

    private Task GetAuthServer(HttpContext ctx)
    {
        string server = HttpJson.Route(ctx, "server");
        if (!_servers.ContainsKey(server)) return Error(ctx, 404, $"Auth server '{server}' not found");
        string href = "/api/v1/configuration/authentication/auth-servers/auth-server/" + Uri.EscapeDataString(server);
        return HttpJson.Write(ctx, 200, new JsonObject
        {
            ["name"] = server,
            ["local"] = new JsonObject { ["users"] = new JsonObject { ["href"] = href + "/local/users" } },
        });
    }

    /// <summary>
    /// User JSON. The password is never returned: "password-cleartext" is omitted [INF: what a real
    /// ICS returns for a stored password is not in the references].
    /// </summary>
    private static JsonObject UserJson(IcsUser u) => new JsonObject
    {
        ["username"] = u.Username,
        ["fullname"] = u.Fullname ?? "",
        ["enabled"] = u.Enabled ? "true" : "false",
        ["change-password-at-signin"] = u.ChangePasswordAtSignin ? "true" : "false",
    };

    private bool TryServer(HttpContext ctx, out Dictionary<string, IcsUser> users, out string server)
    {
        server = HttpJson.Route(ctx, "server");
        return _servers.TryGetValue(server, out users);
    }

    private Task ListUsers(HttpContext ctx)
    {
        lock (_gate)
        {
            if (!TryServer(ctx, out var users, out string server)) return Error(ctx, 404, $"Auth server '{server}' not found");
            var list = new JsonArray();
            foreach (var u in users.Values.OrderBy(u => u.Username, StringComparer.OrdinalIgnoreCase)) list.Add(UserJson(u));
            return HttpJson.Write(ctx, 200, new JsonObject { ["user"] = list });
        }
    }

    private Task GetUser(HttpContext ctx)
    {
        lock (_gate)
        {
            if (!TryServer(ctx, out var users, out string server)) return Error(ctx, 404, $"Auth server '{server}' not found");
            string name = HttpJson.Route(ctx, "user");
            if (!users.TryGetValue(name, out var u)) return Error(ctx, 404, $"User '{name}' not found");
            return HttpJson.Write(ctx, 200, UserJson(u));
        }
    }

    /// <summary>
    /// POST .../users/user/ -> 201 with the new user (no password) [CODE Go client; reply body INF].
    /// Duplicate: the Go client also looks for "already exists" in a 201 body, so a real ICS may answer
    /// 201 with a message [INF].
    /// This emulator answers 400 (a documented status; 409 is not in the ICS list) with
    /// {"result":{"errors":[{"message":"User 'x' already exists"}]}} [INF], which still contains the
    /// "already exists" text that client matches.
    /// </summary>
    private async Task CreateUser(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string name = HttpJson.Str(body, "username");
        _lab.UserCreateReceived(name);
        if (body == null) { await Error(ctx, 400, "Request body must be a JSON object"); return; }
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255 || name.Any(char.IsControl))
        { await Error(ctx, 400, "Invalid or missing 'username'"); return; }
        string password = HttpJson.Str(body, "password-cleartext");
        if (string.IsNullOrEmpty(password)) { await Error(ctx, 400, "Missing 'password-cleartext'"); return; }
        bool? enabled = body.ContainsKey("enabled") ? HttpJson.Bool(body, "enabled") : true;
        bool? change = body.ContainsKey("change-password-at-signin") ? HttpJson.Bool(body, "change-password-at-signin") : false;
        if (enabled == null || change == null)
        { await Error(ctx, 400, "'enabled' and 'change-password-at-signin' take \"true\" or \"false\""); return; }

        string server = HttpJson.Route(ctx, "server");
        JsonObject created = null;
        bool unknownServer = false, duplicate = false;
        lock (_gate)
        {
            if (!_servers.TryGetValue(server, out var users)) unknownServer = true;
            else if (users.ContainsKey(name)) duplicate = true;
            else
            {
                var u = new IcsUser
                {
                    Username = name, Fullname = HttpJson.Str(body, "fullname") ?? "", Password = password,
                    Enabled = enabled.Value, ChangePasswordAtSignin = change.Value,
                };
                users[name] = u;
                created = UserJson(u);
            }
        }
        if (unknownServer) { await Error(ctx, 404, $"Auth server '{server}' not found"); return; }
        if (duplicate)
        {
            _lab.UserCreateDuplicate(name);
            await Error(ctx, 400, $"User '{name}' already exists");
            return;
        }
        _lab.UserCreated(name);
        await HttpJson.Write(ctx, 201, created);
    }

    /// <summary>
    /// PUT .../user/{u} with the whole object: every writable attribute is replaced, an absent one
    /// takes its default (fullname "", enabled "true", change-password-at-signin "false");
    /// password-cleartext is optional. The username cannot change. 200 with the documented info
    /// body [DOC ICS 22.x REST guide ics_spec_configs__using_restapis.htm]; the defaults [INF].
    /// </summary>
    private async Task PutWholeUser(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        if (body == null) { await Error(ctx, 400, "Request body must be the whole user object"); return; }
        string name = HttpJson.Route(ctx, "user");
        string username = HttpJson.Str(body, "username");
        if (username != null && username != name) { await Error(ctx, 400, $"'username' cannot change ('{username}' is not '{name}')"); return; }
        bool? enabled = body.ContainsKey("enabled") ? HttpJson.Bool(body, "enabled") : true;
        bool? change = body.ContainsKey("change-password-at-signin") ? HttpJson.Bool(body, "change-password-at-signin") : false;
        if (enabled == null || change == null)
        { await Error(ctx, 400, "'enabled' and 'change-password-at-signin' take \"true\" or \"false\""); return; }
        string password = HttpJson.Str(body, "password-cleartext");
        if (body.ContainsKey("password-cleartext") && string.IsNullOrEmpty(password))
        { await Error(ctx, 400, "'password-cleartext' must not be empty"); return; }
        string err = Mutate(ctx, u =>
        {
            u.Fullname = HttpJson.Str(body, "fullname") ?? "";
            u.Enabled = enabled.Value;
            u.ChangePasswordAtSignin = change.Value;
            if (password != null) { u.Password = password; u.PasswordSetAt = DateTime.UtcNow; }
        });
        if (err != null) await Error(ctx, 404, err);
        else await Ok(ctx);
    }

    /// <summary>GET .../user/{u}/{attribute} -> {"attribute": value}; password-cleartext -> 404 [INF].</summary>
    private Task GetUserLeaf(HttpContext ctx)
    {
        string leaf = HttpJson.Route(ctx, "leaf");
        lock (_gate)
        {
            if (!TryServer(ctx, out var users, out string server)) return Error(ctx, 404, $"Auth server '{server}' not found");
            string name = HttpJson.Route(ctx, "user");
            if (!users.TryGetValue(name, out var u)) return Error(ctx, 404, $"User '{name}' not found");
            JsonObject whole = UserJson(u);
            if (!whole.TryGetPropertyValue(leaf, out JsonNode value)) return Error(ctx, 404, $"User attribute '{leaf}' not found");
            return HttpJson.Write(ctx, 200, new JsonObject { [leaf] = value?.DeepClone() });
        }
    }

    /// <summary>The top of the configuration tree: one href per subtree.</summary>
    private static Task ConfigurationRoot(HttpContext ctx)
    {
        const string root = "/api/v1/configuration";
        var tree = new JsonObject();
        foreach (string part in new[] { "administrators", "authentication", "system", "users" })
            tree[part] = new JsonObject { ["href"] = root + "/" + part };
        return HttpJson.Write(ctx, 200, tree);
    }

    /// <summary>PUT .../user/{u}/enabled {"enabled":"true|false"} -> 200 [CODE Go client]. Body: [DOC ICS 22.x REST guide ics_spec_configs__using_restapis.htm].</summary>
    private async Task PutEnabled(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        bool? enabled = HttpJson.Bool(body, "enabled");
        if (enabled == null) { await Error(ctx, 400, "Body must be {\"enabled\": \"true\"|\"false\"}"); return; }
        string err = Mutate(ctx, u => u.Enabled = enabled.Value);
        if (err != null) await Error(ctx, 404, err);
        else await Ok(ctx);
    }

    /// <summary>
    /// PUT .../user/{u}/password-cleartext {"password-cleartext","change-password-at-signin"} -> 200
    /// [CODE Go client]. The secret is never echoed.
    /// </summary>
    private async Task PutPassword(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string pw = HttpJson.Str(body, "password-cleartext");
        if (string.IsNullOrEmpty(pw)) { await Error(ctx, 400, "Body must carry a non-empty 'password-cleartext'"); return; }
        bool? change = body.ContainsKey("change-password-at-signin") ? HttpJson.Bool(body, "change-password-at-signin") : null;
        if (body.ContainsKey("change-password-at-signin") && change == null)
        { await Error(ctx, 400, "'change-password-at-signin' takes \"true\" or \"false\""); return; }
        string err = Mutate(ctx, u => { u.Password = pw; u.PasswordSetAt = DateTime.UtcNow; if (change != null) u.ChangePasswordAtSignin = change.Value; });
        if (err != null) await Error(ctx, 404, err);
        else await Ok(ctx);
    }

    private string Mutate(HttpContext ctx, Action<IcsUser> change)
    {
        lock (_gate)
        {
            if (!TryServer(ctx, out var users, out string server)) return $"Auth server '{server}' not found";
            string name = HttpJson.Route(ctx, "user");
            if (!users.TryGetValue(name, out var u)) return $"User '{name}' not found";
            change(u);
            return null;
        }
    }

    /// <summary>
    /// DELETE .../user/{u} -> 204 [CODE Go client accepts 200/202/204 then re-GETs expecting 404];
    /// 422 when still referenced [DOC overview: "422 when another object still references the one
    /// touched"]; the body naming the referencing object is [INF].
    /// </summary>
    private Task DeleteUser(HttpContext ctx)
    {
        lock (_gate)
        {
            if (!TryServer(ctx, out var users, out string server)) return Error(ctx, 404, $"Auth server '{server}' not found");
            string name = HttpJson.Route(ctx, "user");
            if (!users.TryGetValue(name, out var u)) return Error(ctx, 404, $"User '{name}' not found");
            var refs = _references.Where(r => string.Equals(r.Server, server, StringComparison.OrdinalIgnoreCase)
                                              && string.Equals(r.User, u.Username, StringComparison.OrdinalIgnoreCase)).ToList();
            if (refs.Count > 0)
            {
                var errors = new JsonArray();
                foreach (var r in refs)
                    errors.Add(new JsonObject
                    {
                        ["message"] = $"User '{u.Username}' cannot be deleted: it is referenced by {r.Describe()}",
                        ["referenced-by"] = r.Describe(),
                    });
                return HttpJson.Write(ctx, 422, new JsonObject { ["result"] = new JsonObject { ["errors"] = errors } });
            }
            users.Remove(name);
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        }
    }

    private Task TotpOperation(HttpContext ctx)
    {
        string totp = HttpJson.Route(ctx, "totp");
        string name = HttpJson.Route(ctx, "user");
        string op = HttpJson.Query(ctx, "operation");
        if (!string.Equals(totp, TotpServer, StringComparison.OrdinalIgnoreCase)) return Error(ctx, 404, $"TOTP server '{totp}' not found");
        if (op != "reset" && op != "unlock") return Error(ctx, 400, "operation must be reset or unlock");
        lock (_gate)
        {
            var u = _servers.Values.Select(s => s.TryGetValue(name, out var x) ? x : null).FirstOrDefault(x => x != null);
            if (u == null) return Error(ctx, 404, $"TOTP user '{name}' not found");
        }
        string verb = op == "reset" ? "reset" : "unlocked";
        return HttpJson.Write(ctx, 200, new JsonObject
        {
            ["result"] = new JsonObject { ["info"] = new JsonArray(new JsonObject { ["message"] = $"TOTP user {name} has been {verb}" }) },
        });
    }

    // ------------------------------------------------------------------------------ realms and roles

    private static readonly string[] UserRealms = { "Users", "Contractors" };

    private Task ListRealms(HttpContext ctx)
    {
        var list = new JsonArray();
        foreach (string r in UserRealms)
            list.Add(new JsonObject { ["name"] = r, ["href"] = "/api/v1/configuration/users/user-realms/realm/" + Uri.EscapeDataString(r) });
        return HttpJson.Write(ctx, 200, new JsonObject { ["realm"] = list });
    }

    private Task GetRealm(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        string realm = UserRealms.FirstOrDefault(r => r == name);
        if (realm == null) return Error(ctx, 404, $"User realm '{name}' not found");
        string role = realm;
        var rules = new JsonArray();
        lock (_gate)
        {
            foreach (var r in _realmRules[realm]) rules.Add(Rule(r.Name, r.UserNames, r.Roles, r.Stop));
            foreach (var r in _references.Where(r => r.Rule != null && r.Realm == realm))
                rules.Add(Rule(r.Rule, new[] { r.User }, new[] { role }, false));
        }
        return HttpJson.Write(ctx, 200, new JsonObject
        {
            ["name"] = realm,
            ["description"] = "",
            ["authentication-server"] = realm == "Users" ? SystemLocal : _opt.SecondAuthServer,
            ["role-mapping-rules"] = new JsonObject { ["rule"] = rules },
        });
    }

    private static JsonObject Rule(string name, string[] userNames, string[] roles, bool stop) => new JsonObject
    {
        ["name"] = name,
        ["user-name"] = new JsonObject
        {
            ["test"] = "is",
            ["user-names"] = new JsonArray(userNames.Select(u => (JsonNode)u).ToArray()),
        },
        ["roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray()),
        ["stop"] = stop ? "true" : "false",
    };

    private Task GetAdminRealm(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        if (!_opt.AdminRealms.Contains(name, StringComparer.Ordinal)) return Error(ctx, 404, $"Admin realm '{name}' not found");
        return HttpJson.Write(ctx, 200, new JsonObject { ["name"] = name, ["authentication-server"] = "Administrators" });
    }

    private Task ListRoles(HttpContext ctx)
    {
        var list = new JsonArray();
        foreach (string r in UserRealms)
            list.Add(new JsonObject { ["name"] = r, ["href"] = "/api/v1/configuration/users/user-roles/user-role/" + Uri.EscapeDataString(r) });
        return HttpJson.Write(ctx, 200, new JsonObject { ["user-role"] = list });
    }

    private Task GetRole(HttpContext ctx)
    {
        string name = HttpJson.Route(ctx, "name");
        if (!UserRealms.Contains(name, StringComparer.Ordinal)) return Error(ctx, 404, $"User role '{name}' not found");
        return HttpJson.Write(ctx, 200, new JsonObject { ["name"] = name, ["description"] = $"Lab role {name}" });
    }

    // ------------------------------------------------------------------------------ sessions

    /// <summary>
    /// GET /api/v1/system/active-users?number=N&amp;start=S[&amp;name=user].
    /// number: default 200; on 22.x capped at 200 [DOC ICS 22.x REST guide]; on 9.x not capped (the
    /// PCS 9.1R13 REST guide shows number=250) [DOC]. start: a 0-based OFFSET [INF] (the 22.x doc example
    /// uses start=201 after start=0, which as an offset would skip record 200; clients should page
    /// with start = records received so far). "is-last-record" sits inside "active-users" [INF],
    /// only on 22.x [INF]. "user-login-permission" [DOC] is true while the session count is
    /// below the licensed capacity [INF].
    /// </summary>
    private Task ActiveUsers(HttpContext ctx)
    {
        int? number = HttpJson.QueryInt(ctx, "number", 200);
        int? start = HttpJson.QueryInt(ctx, "start", 0);
        if (number == null || number < 1) return Error(ctx, 400, "number must be a positive integer");
        if (start == null || start < 0) return Error(ctx, 400, "start must be a non-negative integer");
        int take = _is22x ? Math.Min(number.Value, 200) : number.Value;
        string name = HttpJson.Query(ctx, "name");

        List<IcsSession> page;
        int matched, total, capacity;
        lock (_gate)
        {
            var filtered = name == null
                ? _sessions
                : _sessions.Where(s => string.Equals(s.User, name, StringComparison.OrdinalIgnoreCase)).ToList();
            matched = filtered.Count;
            page = filtered.Skip(start.Value).Take(take).ToList();
            total = _sessions.Count;
            capacity = _capacity;
        }
        var records = new JsonArray();
        foreach (var s in page) records.Add(SessionJson(s));
        var au = new JsonObject
        {
            ["active-user-records"] = new JsonObject { ["active-user-record"] = records },
            ["total-matched-record-number"] = matched,
            ["total-returned-record-number"] = page.Count,
            ["user-login-permission"] = total < capacity,
        };
        if (_is22x) au["is-last-record"] = start.Value + page.Count >= matched;
        return HttpJson.Write(ctx, 200, new JsonObject { ["active-users"] = au });
    }

    /// <summary>Record fields: the 9.x set [DOC IPS vNow REST guide] and, on 22.x, the additions of the
    /// ICS 22.x REST guide icsips_configs_using_restapis.htm [DOC]; values are lab data.</summary>
    private JsonObject SessionJson(IcsSession s)
    {
        var o = new JsonObject
        {
            ["active-user-name"] = s.User,
            ["agent-type"] = s.AgentType,
            ["authentication-realm"] = s.Realm,
            ["endpoint-security-status"] = "Not Applicable\nPassed Policies: \nFailed Policies: \nEliminated Roles: ",
            ["events"] = 0,
            ["login-node"] = s.Node,
            ["network-connect-ip"] = s.NcIp,
            ["network-connect-transport-mode"] = "ESP",
            ["session-id"] = s.Id,
            ["pulse-client-version"] = s.ClientVersion,
            ["user-roles"] = s.Roles,
            ["user-sign-in-time"] = s.SignIn.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture),
        };
        if (_is22x)
        {
            double micro = (s.SignIn - DateTime.UnixEpoch).TotalSeconds;
            o["active-secondary-user-name"] = null;
            o["browser-id"] = null;
            o["device-id"] = null;
            o["hc-failed-reasons"] = null;
            o["mac-address"] = null;
            o["network-connect-ipv6"] = null;
            o["ngp-session-id"] = null;
            o["primary-auth-server-name"] = s.AuthServer;
            o["primary-auth-server-type"] = "Local Authentication";
            o["secondary-auth-server-name"] = null;
            o["secondary-auth-server-type"] = null;
            o["sign-in-time-micro"] = micro.ToString("F6", CultureInfo.InvariantCulture);
            o["source-ip"] = s.SourceIp;
        }
        return o;
    }

    private Task DeleteSession(HttpContext ctx)
    {
        string id = HttpJson.Route(ctx, "id");
        lock (_gate)
        {
            if (!_sessionsById.Remove(id, out var s)) return Error(ctx, 404, $"Session '{id}' not found");
            _sessions.Remove(s);
        }
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    // ------------------------------------------------------------------------------ system

    private string BuildNumber => "4" + (_version[0] % 10).ToString(CultureInfo.InvariantCulture) + (_version[2] % 10).ToString(CultureInfo.InvariantCulture) + "1";

    /// <summary>Shape [CODE several public scripts]; the values (model, serial, build) are invented [INF].</summary>
    private Task SystemInformation(HttpContext ctx)
    {
        return HttpJson.Write(ctx, 200, new JsonObject
        {
            ["system-information"] = new JsonObject
            {
                ["host-name"] = SeedNodes[0].name,
                ["hardware-model"] = "ISA6000-V",
                ["serial-number"] = _serial,
                ["machine-id"] = _machineId,
            },
            ["software-inventory"] = new JsonObject
            {
                ["software"] = new JsonObject { ["version"] = _opt.Version, ["build"] = BuildNumber },
            },
            ["rollback-partition-information"] = new JsonObject { ["version"] = "9.1R18", ["build"] = "24467" },
        });
    }

    private async Task BinaryConfiguration(HttpContext ctx)
    {
        bool system = true, user = true;
        if (HttpMethods.IsPost(ctx.Request.Method))
        {
            await HttpJson.ReadBody(ctx);
            string export = HttpJson.Query(ctx, "export");
            if (export == "system_config") user = false;
            else if (export == "user_config") system = false;
            else { await Error(ctx, 400, "export must be system_config or user_config"); return; }
        }
        byte[] blob = RandomNumberGenerator.GetBytes(system && user ? 2048 : 1024);
        // Base64 text, wrapped at 76 columns; oxidized strips and joins the lines [CODE].
        string b64 = Convert.ToBase64String(blob, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\n") + "\n";
        await HttpJson.WriteText(ctx, 200, "text/plain; charset=utf-8", b64);
    }

    private Task HealthCheck(HttpContext ctx)
    {
        bool all = HttpJson.Query(ctx, "status") == "all";
        JsonObject reply;
        lock (_gate)
        {
            bool healthy = _nodeStatus.Values.All(s => (s & Unreachable) == 0);
            reply = new JsonObject { ["status"] = healthy ? "OK" : "DEGRADED" };
            if (all)
            {
                var nodes = new JsonArray();
                foreach (var n in SeedNodes)
                {
                    int code = _nodeStatus[n.name];
                    nodes.Add(new JsonObject
                    {
                        ["name"] = n.name,
                        ["status"] = (code & Unreachable) != 0 ? "UNREACHABLE" : "OK",
                        ["concurrent-users"] = _sessions.Count(s => s.Node == n.name),
                        ["cpu-utilization"] = 7,
                        ["memory-utilization"] = 31,
                        ["disk-utilization"] = 12,
                        ["swap-utilization"] = 0,
                    });
                }
                reply["cluster-name"] = ClusterName;
                reply["nodes"] = nodes;
            }
        }
        return HttpJson.Write(ctx, 200, reply);
    }

    private Task ClusterStatus(HttpContext ctx)
    {
        var nodes = new JsonArray();
        lock (_gate)
        {
            foreach (var n in SeedNodes)
            {
                int code = _nodeStatus[n.name];
                nodes.Add(new JsonObject
                {
                    ["name"] = n.name,
                    ["address"] = n.address,
                    ["status-code"] = code,
                    ["status-code-hex"] = "0x" + code.ToString("X6", CultureInfo.InvariantCulture),
                });
            }
        }
        return HttpJson.Write(ctx, 200, new JsonObject { ["cluster-name"] = ClusterName, ["nodes"] = nodes });
    }

    private Task ConcurrentUsers(HttpContext ctx)
    {
        var nodes = new JsonArray();
        int total, capacity;
        lock (_gate)
        {
            total = _sessions.Count;
            capacity = _capacity;
            foreach (var n in SeedNodes)
                nodes.Add(new JsonObject
                {
                    ["name"] = n.name,
                    ["active-sessions"] = _sessions.Count(s => s.Node == n.name),
                    ["max-sessions"] = capacity,
                });
        }
        return HttpJson.Write(ctx, 200, new JsonObject
        {
            ["licensed-concurrent-users"] = capacity,
            ["active-sessions"] = total,
            ["nodes"] = nodes,
        });
    }

    // ------------------------------------------------------------------------------ helpers

    private static Task Ok(HttpContext ctx) => HttpJson.Write(ctx, 200, new JsonObject
    {
        ["result"] = new JsonObject { ["info"] = new JsonArray(new JsonObject { ["message"] = OkMessage }) },
    });

    private static Task Error(HttpContext ctx, int status, string message) => HttpJson.Write(ctx, status, new JsonObject
    {
        ["result"] = new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = message }) },
    });

    private static string RandomDigits(int n)
    {
        var sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.Append((char)('0' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(10)));
        return sb.ToString();
    }
}
