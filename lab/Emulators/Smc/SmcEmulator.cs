using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace RemoteOps.Lab.Emulators.Smc;

/// <summary>
/// Forcepoint NGFW Security Management Center (SMC) REST API: versions, API-client login with a
/// session cookie, entry points, element search, network and service elements, one firewall
/// policy with its IPv4 access rules, ETag/If-Match, policy upload with its follower, pending
/// changes and logout.
///
/// Sources, cited per endpoint below with an evidence tag (see lab/Emulators/README.md):
///   FPUG = the SMC API user guide, help.forcepoint.com/ngfw/en-us/7.0.0/smc_api_ug/ (and the
///          7.1.0, 7.2.1, 7.3.0 editions) with the page GUID named;
///   SDK  = github.com/Forcepoint/fp-NGFW-SMC-python 1.0.31 (smc-python), files under smc/.
/// Anything no source settles is tagged [INF]: it is UNVERIFIED, an emulator choice. Items the
/// sources themselves leave UNVERIFIED and how the emulator treats them:
///   - whether the /api items carry "href" (added here);
///   - when the SMC sends an Authorization header on login (SDK 1.0.27 sends one back if it
///     comes): never here, the session is the cookie only;
///   - "beta" / "api-key" login extras: ignored;
///   - 412 for a stale ETag: never sent, 409 is;
///   - a rule "rank": absent, order is positional;
///   - whether add_before/add_after remove the original rule: they do not;
///   - a "status" key in error bodies: absent;
///   - whether an upload waits for approval of pending changes: it does not.
///
/// The API version of a request is the first path segment; it decides the hrefs handed out and
/// the format of a rule's action (a string up to 6.5, a list from 6.6 [CODE SDK policy/rule.py]).
/// </summary>
internal sealed class SmcEmulator : IApplianceEmulator
{
    private const string CookieName = "JSESSIONID";
    private const string ApiClientName = "remoteops-api";
    private const string PolicyName = "Remote Work Policy";
    private const string EngineName = "fw-lab-1";
    private const string RuleType = "fw_ipv4_access_rule";

    // The API versions an SMC of a release serves. Which older versions a real SMC keeps is
    // UNVERIFIED [INF]; the SDK expects several to be listed [CODE SDK api/session.py
    // available_api_versions, get_api_version].
    private static readonly string[] KnownVersions = { "6.5", "6.6", "6.10", "7.0", "7.1", "7.2", "7.3" };

    private static readonly string[] NetworkTypes = { "host", "network", "address_range", "group" };
    private static readonly string[] ServiceTypes = { "tcp_service", "udp_service", "ip_service" };
    private static readonly string[] EngineTypes = { "single_fw" };

    private readonly LabRuntime _lab;
    private readonly string[] _versions;
    private readonly string _apiKey = HttpJson.NewSecret(18);
    private readonly object _gate = new object();

    private Dictionary<int, Element> _elements;
    private Dictionary<string, Session> _sessions = new Dictionary<string, Session>(StringComparer.Ordinal);
    private Dictionary<string, UploadTask> _uploads;
    private List<JsonObject> _pending;
    private int _nextId;
    private int _policyId, _engineId;
    private string _uploadFailure;
    private int _uploadMs;
    private int _sessionIdleSec;
    private int _concurrentEditsNext;
    private int _uploadsStarted, _uploadsFailed, _conflicts, _logins, _logouts, _notModified;

    public SmcEmulator(LabRuntime lab)
    {
        _lab = lab;
        int[] top = EmulatorOptions.SmcApiVersion(lab.Options.Version);
        _versions = KnownVersions.Where(v => EmulatorOptions.Compare(EmulatorOptions.SmcApiVersion(v), top) <= 0).ToArray();
        if (!_versions.Contains(lab.Options.Version)) _versions = _versions.Append(lab.Options.Version).ToArray();
        Reset();
    }

    private sealed class Element
    {
        public int Id;
        public string Type;
        public JsonObject Body;
        public int Revision = 1;
        public int PolicyId;          // rules: the policy they belong to
        public List<int> Rules;       // policies: their rule ids, in order
        public string ETag => "\"" + Id.ToString(CultureInfo.InvariantCulture) + "r" + Revision.ToString(CultureInfo.InvariantCulture) + "\"";
        public string Name => HttpJson.Str(Body, "name") ?? "";
    }

    private sealed class Session
    {
        public DateTime LastUsed;
        public string Domain;
    }

    private sealed class UploadTask
    {
        public int PolicyId;
        public string Engine;
        public DateTime Started;
        public string Failure;
        public bool Counted;
    }

    // =====================================================================================
    // Lab hooks
    // =====================================================================================

    public void Reset()
    {
        lock (_gate)
        {
            _elements = new Dictionary<int, Element>();
            _uploads = new Dictionary<string, UploadTask>(StringComparer.Ordinal);
            _pending = new List<JsonObject>();
            _nextId = 700;
            _uploadFailure = null;
            _uploadMs = 300;
            _sessionIdleSec = 1800;
            _concurrentEditsNext = 0;
            _uploadsStarted = _uploadsFailed = _conflicts = _logins = _logouts = _notModified = 0;

            var template = Add("fw_template_policy", new JsonObject { ["name"] = "Firewall Inspection Template" });
            var engine = Add("single_fw", new JsonObject { ["name"] = EngineName, ["comment"] = "lab engine" });
            _engineId = engine.Id;
            var station = Add("host", new JsonObject { ["name"] = "mgmt-station", ["address"] = "192.0.2.10", ["comment"] = "seeded by the lab" });
            var policy = Add("fw_policy", new JsonObject { ["name"] = PolicyName, ["template"] = "elements/fw_template_policy/" + template.Id });
            policy.Rules = new List<int>();
            _policyId = policy.Id;
            // Two rules an administrator wrote: RemoteOps must leave them alone.
            AddRule(policy, new JsonObject
            {
                ["name"] = "Allow management",
                ["comment"] = "written by an administrator",
                ["is_disabled"] = false,
                ["sources"] = new JsonObject { ["any"] = false, ["src"] = new JsonArray("elements/host/" + station.Id) },
                ["destinations"] = new JsonObject { ["any"] = true },
                ["services"] = new JsonObject { ["any"] = true },
                ["action"] = new JsonObject { ["action"] = new JsonArray("allow") },
            }, policy.Rules.Count);
            AddRule(policy, new JsonObject
            {
                ["name"] = "Discard the rest",
                ["is_disabled"] = false,
                ["sources"] = new JsonObject { ["any"] = true },
                ["destinations"] = new JsonObject { ["any"] = true },
                ["services"] = new JsonObject { ["any"] = true },
                ["action"] = new JsonObject { ["action"] = new JsonArray("discard") },
            }, policy.Rules.Count);
            _pending.Clear();
        }
    }

    public void FillEndpointInfo(JsonObject o)
    {
        o["adminUser"] = ApiClientName;   // the API client the authentication key belongs to
        o["adminPassword"] = null;
        o["apiToken"] = _apiKey;          // the API client's authentication key
        o["apiVersions"] = new JsonArray(_versions.Select(v => (JsonNode)v).ToArray());
        o["policy"] = PolicyName;
        o["engine"] = EngineName;
        o["domain"] = "Shared Domain";
    }

    public JsonObject SeedSessions(JsonObject body, out string error)
    {
        error = "the smc emulator has no VPN sessions";
        return null;
    }

    public int ClearSessions() => 0;

    public JsonObject AddReference(JsonObject body, out string error)
    {
        error = "the smc emulator has no VPN users";
        return null;
    }

    /// <summary>Every session ends at once (as when the SMC purges idle sessions): the next request with the cookie gets 401.</summary>
    public JsonObject ExpireCredentials()
    {
        lock (_gate)
        {
            int n = _sessions.Count;
            _sessions = new Dictionary<string, Session>(StringComparer.Ordinal);
            return new JsonObject { ["sessionsExpired"] = n };
        }
    }

    public JsonObject Settings(JsonObject changes, out string error)
    {
        error = null;
        lock (_gate)
        {
            foreach (var kv in changes ?? new JsonObject())
            {
                switch (kv.Key)
                {
                    case "uploadFailure":
                        // The engine's message of the next uploads (null: uploads succeed again).
                        _uploadFailure = HttpJson.Str(changes, "uploadFailure");
                        break;
                    case "uploadMs":
                        if (!HttpJson.IntInRange(changes, "uploadMs", 0, 600000, out int ms, out error)) return null;
                        _uploadMs = ms;
                        break;
                    case "sessionIdleSec":
                        if (!HttpJson.IntInRange(changes, "sessionIdleSec", 1, 86400, out int s, out error)) return null;
                        _sessionIdleSec = s;
                        break;
                    case "concurrentEditsNext":
                        // The next n conditional writes (PUT, DELETE) meet an element another
                        // administrator has just changed: its ETag moves on and the write gets 409.
                        if (!HttpJson.IntInRange(changes, "concurrentEditsNext", 0, 1000, out int c, out error)) return null;
                        _concurrentEditsNext = c;
                        break;
                    default:
                        error = $"unknown setting '{kv.Key}'; known: uploadFailure, uploadMs, sessionIdleSec, concurrentEditsNext";
                        return null;
                }
            }
            return new JsonObject
            {
                ["uploadFailure"] = _uploadFailure,
                ["uploadMs"] = _uploadMs,
                ["sessionIdleSec"] = _sessionIdleSec,
                ["concurrentEditsNext"] = _concurrentEditsNext,
                ["apiVersions"] = new JsonArray(_versions.Select(v => (JsonNode)v).ToArray()),
            };
        }
    }

    public JsonObject Summary()
    {
        lock (_gate)
        {
            var byType = new JsonObject();
            foreach (var g in _elements.Values.GroupBy(e => e.Type).OrderBy(g => g.Key, StringComparer.Ordinal)) byType[g.Key] = g.Count();
            var policy = _elements[_policyId];
            return new JsonObject
            {
                ["elements"] = byType,
                ["rules"] = new JsonArray(policy.Rules.Select(r => (JsonNode)_elements[r].Name).ToArray()),
                ["sessions"] = _sessions.Count,
                ["logins"] = _logins,
                ["logouts"] = _logouts,
                ["uploads"] = _uploadsStarted,
                ["uploadsFailed"] = _uploadsFailed,
                ["conflicts"] = _conflicts,
                ["notModified"] = _notModified,
                ["pendingChanges"] = _pending.Count,
            };
        }
    }

    /// <summary>Error body {"message","details":[...]} as application/json [CODE SDK api/exceptions.py]; "status" is never parsed there, so it is left out [INF].</summary>
    public Task WriteFault(HttpContext ctx, int status, string message) => Error(ctx, status, message);

    public Task WriteNotFound(HttpContext ctx) => Error(ctx, 404, "Resource not found: " + ctx.Request.Path.Value);

    private static Task Error(HttpContext ctx, int status, string message, params string[] details) =>
        HttpJson.Write(ctx, status, new JsonObject
        {
            ["message"] = message,
            ["details"] = new JsonArray(details.Select(d => (JsonNode)d).ToArray()),
        });

    // =====================================================================================
    // Endpoints
    // =====================================================================================

    public void Map(WebApplication app)
    {
        // Versions, no session needed: {"version":[{"rel":"7.1"}]} [CODE SDK api/session.py
        // available_api_versions reads only "rel"]. Whether items carry "href" is UNVERIFIED; the
        // emulator adds one [INF].
        app.MapGet("/api", Versions);

        // API-client login [CODE SDK api/session.py _build_auth_request/_get_session; DOC FPUG 7.3.0
        // GUID-8714C596 example POST /7.3/login {"authenticationkey":...} -> 200]. Only 200 is a
        // success. The session is a JSESSIONID cookie [DOC FPUG GUID-E47E5478 "cookies"; CODE SDK
        // counts a session live only with JSESSIONID]. The 401 for a wrong key and its body [INF].
        app.MapPost("/{ver}/login", Login);
        // Logout: PUT on the "logout" entry point, 204 [CODE SDK api/session.py logout].
        app.MapPut("/{ver}/logout", Logout);

        // Entry points {"entry_point":[{"href","rel","method"}]} [CODE SDK api/session.py
        // load_entry_points, api/entry_point.py]; loaded after login by the SDK, so a session is
        // required here [INF].
        app.MapGet("/{ver}/api", Authed(EntryPoints));
        // current_user: GET -> {"value": admin href} [CODE SDK]; the path is the emulator's [INF].
        app.MapGet("/{ver}/system/current_user", Authed(CurrentUser));

        // Composite search: GET <elements>?filter_context=<ctx>&filter=<s>&exact_match= [CODE SDK
        // base/collection.py, api/common.py fetch_meta_by_name].
        app.MapGet("/{ver}/elements", Authed(SearchElements));
        // Search by type, create [DOC FPUG 7.0.0 GUID-B13FAC16: POST to the collection, new URI in
        // Location; FPUG 7.1.0 GUID-A8EF1280 example 201 + Location].
        app.MapGet("/{ver}/elements/{type}", Authed(SearchType));
        app.MapPost("/{ver}/elements/{type}", Authed(CreateElement));
        // Read with ETag; conditional PUT and DELETE [DOC FPUG 7.0.0 GUID-B13FAC16: "Etag is not
        // supported as a header parameter in PUT requests in SMC API version 6.4 or higher. Use
        // If-Match"; CODE SDK api/web.py still sends "Etag" on PUT, so both are accepted]. A stale
        // ETag answers 409 [CODE SDK web.py "Conflict (409) if ETag is not current"]; 412 appears
        // in no source (UNVERIFIED) and is not used.
        app.MapGet("/{ver}/elements/{type}/{id:int}", Authed(GetElement));
        app.MapPut("/{ver}/elements/{type}/{id:int}", Authed(PutElement));
        app.MapDelete("/{ver}/elements/{type}/{id:int}", Authed(DeleteElement));

        // Access rules of a policy [CODE SDK policy/layer3.py links fw_ipv4_access_rules, policy/rule.py].
        app.MapGet("/{ver}/elements/fw_policy/{id:int}/fw_ipv4_access_rule", Authed(ListRules));
        app.MapPost("/{ver}/elements/fw_policy/{id:int}/fw_ipv4_access_rule", Authed(CreateRule));
        app.MapGet("/{ver}/elements/fw_policy/{id:int}/fw_ipv4_access_rule/{rid:int}", Authed(GetRule));
        app.MapPut("/{ver}/elements/fw_policy/{id:int}/fw_ipv4_access_rule/{rid:int}", Authed(PutRule));
        app.MapDelete("/{ver}/elements/fw_policy/{id:int}/fw_ipv4_access_rule/{rid:int}", Authed(DeleteRule));
        // add_before / add_after links of a rule [CODE SDK policy/rule.py]; the new rule is a copy,
        // the original stays (whether the SMC removes it is UNVERIFIED [INF]).
        app.MapPost("/{ver}/elements/fw_policy/{id:int}/fw_ipv4_access_rule/{rid:int}/{where}", Authed(AddBesideRule));

        // Upload from the policy: POST <upload>?filter=<engine> -> 200 with a follower [DOC FPUG
        // 7.0.0 GUID-A7A34AA1]; from the engine: POST <engine>/upload?filter=<policy> -> 201 [DOC
        // FPUG 7.1.0 GUID-18D322EF; CODE SDK core/engine.py]. The follower is polled while
        // in_progress is true; success is only meaningful after that [CODE SDK administration/tasks.py].
        app.MapPost("/{ver}/elements/fw_policy/{id:int}/upload", Authed(UploadFromPolicy));
        app.MapPost("/{ver}/elements/single_fw/{id:int}/upload", Authed(UploadFromEngine));
        app.MapGet("/{ver}/elements/fw_policy/{id:int}/upload/{task}", Authed(Follower));

        // Pending changes of an engine and their approval (SMC 6.2+) [CODE SDK core/resource.py
        // PendingChanges]. The list's key ("result") is UNVERIFIED [INF]. Whether an upload waits
        // for approval is UNVERIFIED: here it does not.
        app.MapGet("/{ver}/elements/single_fw/{id:int}/pending_changes", Authed(PendingChanges));
        app.MapPost("/{ver}/elements/single_fw/{id:int}/approve_all_changes", Authed(ctx => Approve(ctx, true)));
        app.MapPost("/{ver}/elements/single_fw/{id:int}/disapprove_all_changes", Authed(ctx => Approve(ctx, false)));
    }

    // ------------------------------------------------------------------------------ versions, login

    private Task Versions(HttpContext ctx)
    {
        var list = new JsonArray();
        foreach (string v in _versions) list.Add(new JsonObject { ["rel"] = v, ["href"] = Base(ctx) + "/" + v + "/api" });
        return HttpJson.Write(ctx, 200, new JsonObject { ["version"] = list });
    }

    private async Task Login(HttpContext ctx)
    {
        string ver = Version(ctx);
        if (ver == null) { await WriteNotFound(ctx); return; }
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string key = HttpJson.Str(body, "authenticationkey");
        string domain = HttpJson.Str(body, "domain") ?? "Shared Domain";
        if (!HttpJson.FixedEquals(key, _apiKey))
        {
            // Status and text [INF]: the SDK only says anything but 200 is a failed login.
            await Error(ctx, 401, "Login failed", "Invalid authentication key for an API client.");
            return;
        }
        if (domain != "Shared Domain")
        {
            await Error(ctx, 401, "Login failed", $"Unknown domain '{domain}'.");   // [INF]
            return;
        }
        string cookie = HttpJson.NewSecret(24);
        lock (_gate)
        {
            _sessions[cookie] = new Session { LastUsed = DateTime.UtcNow, Domain = domain };
            _logins++;
        }
        ctx.Response.Headers.Append("Set-Cookie", $"{CookieName}={cookie}; Path=/; Secure; HttpOnly");
        ctx.Response.StatusCode = 200;
    }

    private Task Logout(HttpContext ctx)
    {
        string cookie = SessionCookie(ctx);
        lock (_gate)
        {
            if (cookie == null || !_sessions.Remove(cookie)) return Error(ctx, 401, "Not logged in");
            _logouts++;
        }
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    /// <summary>A request needs a live session cookie; an unknown or idle one gets 401, after which the SDK logs in again [CODE SDK api/web.py].</summary>
    private RequestDelegate Authed(Func<HttpContext, Task> handler)
    {
        return ctx =>
        {
            if (Version(ctx) == null) return WriteNotFound(ctx);
            string cookie = SessionCookie(ctx);
            lock (_gate)
            {
                if (cookie == null || !_sessions.TryGetValue(cookie, out Session s))
                    return Error(ctx, 401, "Not logged in", "The session is missing or has expired; log in again.");
                if ((DateTime.UtcNow - s.LastUsed).TotalSeconds > _sessionIdleSec)
                {
                    _sessions.Remove(cookie);
                    return Error(ctx, 401, "Not logged in", "The session has expired; log in again.");
                }
                s.LastUsed = DateTime.UtcNow;
            }
            return handler(ctx);
        };
    }

    private static string SessionCookie(HttpContext ctx) =>
        ctx.Request.Cookies.TryGetValue(CookieName, out string v) && !string.IsNullOrEmpty(v) ? v : null;

    private string Version(HttpContext ctx)
    {
        string v = HttpJson.Route(ctx, "ver");
        return v != null && _versions.Contains(v) ? v : null;
    }

    private static string Base(HttpContext ctx) => "https://" + ctx.Request.Host.Value;

    private string Href(HttpContext ctx, string relative) => Base(ctx) + "/" + Version(ctx) + "/" + relative;

    private Task EntryPoints(HttpContext ctx)
    {
        var list = new JsonArray();
        void Entry(string rel, string relative, string method = "GET") =>
            list.Add(new JsonObject { ["href"] = Href(ctx, relative), ["rel"] = rel, ["method"] = method });
        Entry("elements", "elements");
        Entry("logout", "logout", "PUT");
        Entry("current_user", "system/current_user");
        foreach (string t in NetworkTypes.Concat(ServiceTypes).Concat(EngineTypes).Concat(new[] { "fw_policy", "fw_template_policy" }))
            Entry(t, "elements/" + t);
        return HttpJson.Write(ctx, 200, new JsonObject { ["entry_point"] = list });
    }

    private Task CurrentUser(HttpContext ctx) =>
        HttpJson.Write(ctx, 200, new JsonObject { ["value"] = Href(ctx, "elements/api_client/1") });

    // ------------------------------------------------------------------------------ search

    // "contains" match; a filter with '/' or '-' looks at name and comment only [CODE SDK
    // base/collection.py]; otherwise the address fields are searched too [INF].
    private static bool Matches(Element e, string filter, bool exact, bool caseSensitive)
    {
        if (string.IsNullOrEmpty(filter)) return true;
        var cmp = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (exact) return string.Equals(e.Name, filter, cmp);
        var fields = new List<string> { e.Name, HttpJson.Str(e.Body, "comment") };
        if (filter.IndexOf('/') < 0 && filter.IndexOf('-') < 0)
            fields.AddRange(new[] { HttpJson.Str(e.Body, "address"), HttpJson.Str(e.Body, "ipv4_network"), HttpJson.Str(e.Body, "ip_range") });
        return fields.Any(f => f != null && f.Contains(filter, cmp));
    }

    private static bool Flag(HttpContext ctx, string name) =>
        string.Equals(HttpJson.Query(ctx, name), "true", StringComparison.OrdinalIgnoreCase);

    private Task Results(HttpContext ctx, IEnumerable<Element> found) =>
        HttpJson.Write(ctx, 200, new JsonObject
        {
            ["result"] = new JsonArray(found.Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Name,
                ["href"] = Href(ctx, Relative(e)),
                ["type"] = e.Type,
            }).ToArray()),
        });

    private Task SearchElements(HttpContext ctx)
    {
        string context = HttpJson.Query(ctx, "filter_context");
        string[] types = context switch
        {
            null => null,
            "network_elements" => NetworkTypes,
            "services" or "services_and_applications" => ServiceTypes,
            "engine_clusters" or "fw_clusters" => EngineTypes,
            _ => new[] { context },   // the SDK's fetch_meta_by_name passes a typeof as context [CODE]
        };
        string filter = HttpJson.Query(ctx, "filter");
        lock (_gate)
        {
            var found = _elements.Values.Where(e => e.Type != RuleType && (types == null || types.Contains(e.Type))
                && Matches(e, filter, Flag(ctx, "exact_match"), Flag(ctx, "case_sensitive"))).OrderBy(e => e.Id).ToList();
            return Results(ctx, found);
        }
    }

    private Task SearchType(HttpContext ctx)
    {
        string type = HttpJson.Route(ctx, "type");
        string filter = HttpJson.Query(ctx, "filter");
        lock (_gate)
        {
            var found = _elements.Values.Where(e => e.Type == type && Matches(e, filter, Flag(ctx, "exact_match"), Flag(ctx, "case_sensitive")))
                .OrderBy(e => e.Id).ToList();
            return Results(ctx, found);
        }
    }

    // ------------------------------------------------------------------------------ elements

    private static string Relative(Element e) =>
        e.Type == RuleType ? $"elements/fw_policy/{e.PolicyId}/{RuleType}/{e.Id}" : $"elements/{e.Type}/{e.Id}";

    private Element Add(string type, JsonObject body)
    {
        var e = new Element { Id = ++_nextId, Type = type, Body = body };
        _elements[e.Id] = e;
        Changed(e, "stonegate.object.insert");
        return e;
    }

    private void Changed(Element e, string eventType)
    {
        // Pending-change record fields [CODE SDK core/resource.py PendingChanges].
        _pending.Add(new JsonObject
        {
            ["approved_on"] = null,
            ["changed_on"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["element"] = Relative(e),
            ["element_name"] = e.Name,
            ["event_type"] = eventType,
            ["modifier"] = ApiClientName,
            ["approver"] = null,
        });
    }

    /// <summary>Checks a body for its type; returns the error or null. Field names as the SDK POSTs them [CODE SDK elements/network.py, elements/service.py, elements/group.py].</summary>
    private string Check(string type, JsonObject body)
    {
        if (string.IsNullOrWhiteSpace(HttpJson.Str(body, "name"))) return "The name is mandatory.";
        switch (type)
        {
            case "host":
                return ValidIpv4(HttpJson.Str(body, "address")) ? null : "address must be an IPv4 address.";
            case "network":
                string net = HttpJson.Str(body, "ipv4_network");
                int slash = net?.IndexOf('/') ?? -1;
                return slash > 0 && ValidIpv4(net.Substring(0, slash)) && int.TryParse(net.AsSpan(slash + 1), out int len) && len >= 0 && len <= 32
                    ? null : "ipv4_network must look like 10.10.10.0/24.";
            case "address_range":
                string range = HttpJson.Str(body, "ip_range");
                int dash = range?.IndexOf('-') ?? -1;
                return dash > 0 && ValidIpv4(range.Substring(0, dash)) && ValidIpv4(range.Substring(dash + 1)) ? null : "ip_range must look like 10.0.0.1-10.0.0.9.";
            case "tcp_service":
            case "udp_service":
                long? min = HttpJson.Int(body, "min_dst_port");
                string maxText = HttpJson.Str(body, "max_dst_port");
                long? max = string.IsNullOrEmpty(maxText) ? null : HttpJson.Int(body, "max_dst_port");
                if (min == null || min < 0 || min > 65535) return "min_dst_port must be a port number.";
                if (!string.IsNullOrEmpty(maxText) && (max == null || max < min || max > 65535)) return "max_dst_port must be a port number not below min_dst_port.";
                return null;
            case "ip_service":
                long? proto = HttpJson.Int(body, "protocol_number");
                return proto != null && proto >= 0 && proto <= 255 ? null : "protocol_number must be 0 to 255.";
            case "group":
                foreach (var member in body["element"] as JsonArray ?? new JsonArray())
                {
                    var target = Resolve(member?.GetValue<string>());
                    if (target == null || !NetworkTypes.Contains(target.Type)) return $"Unknown group member '{member}'.";
                }
                return null;
            case "fw_policy":
                return null;
            default:
                return $"Elements of type '{type}' cannot be created through this emulator.";
        }
    }

    private static bool ValidIpv4(string s) =>
        s != null && System.Net.IPAddress.TryParse(s, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && s.Count(c => c == '.') == 3;

    /// <summary>An element by href (absolute, or relative "elements/type/id"); null when unknown.</summary>
    private Element Resolve(string href)
    {
        if (string.IsNullOrEmpty(href)) return null;
        int at = href.IndexOf("/elements/", StringComparison.Ordinal);
        string rel = at >= 0 ? href.Substring(at + 1) : href;
        string[] parts = rel.Split('/');
        if (parts.Length < 3 || parts[0] != "elements") return null;
        if (!int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int id)) return null;
        return _elements.TryGetValue(id, out var e) && (e.Type == parts[^2]) ? e : null;
    }

    private async Task CreateElement(HttpContext ctx)
    {
        string type = HttpJson.Route(ctx, "type");
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        Task reply;
        lock (_gate) reply = CreateElementLocked(ctx, type, body);
        await reply;
    }

    private Task CreateElementLocked(HttpContext ctx, string type, JsonObject body)
    {
        if (body == null) return Error(ctx, 400, "The request body must be a JSON object.");
        string bad = Check(type, body);
        if (bad != null) return Error(ctx, 400, "Cannot create the element", bad);
        // Names are unique per type; the status and text of a clash are UNVERIFIED [INF].
        if (_elements.Values.Any(x => x.Type == type && x.Name == HttpJson.Str(body, "name")))
            return Error(ctx, 400, "Cannot create the element", $"The name '{HttpJson.Str(body, "name")}' is already used by another element of type {type}.");
        Normalize(type, body);
        var e = Add(type, body);
        if (type == "fw_policy") e.Rules = new List<int>();
        ctx.Response.Headers.Location = Href(ctx, Relative(e));
        ctx.Response.StatusCode = 201;
        return Task.CompletedTask;
    }

    // A single-port service is sent with max_dst_port "" [CODE SDK elements/service.py]; it is
    // stored without it. What the SMC returns for it is UNVERIFIED [INF].
    private static void Normalize(string type, JsonObject body)
    {
        if ((type == "tcp_service" || type == "udp_service") && string.IsNullOrEmpty(HttpJson.Str(body, "max_dst_port"))) body.Remove("max_dst_port");
        if (type == "ip_service" && body["protocol_number"] is JsonValue) body["protocol_number"] = HttpJson.Str(body, "protocol_number");
        body.Remove("link");
        body.Remove("key");
    }

    private JsonObject Render(HttpContext ctx, Element e)
    {
        var o = (JsonObject)e.Body.DeepClone();
        o["key"] = e.Id;
        var links = new JsonArray { Link("self", Href(ctx, Relative(e))) };
        if (e.Type == "fw_policy")
        {
            links.Add(Link("fw_ipv4_access_rules", Href(ctx, Relative(e) + "/" + RuleType)));
            links.Add(Link("upload", Href(ctx, Relative(e) + "/upload")));
        }
        else if (e.Type == "single_fw")
        {
            foreach (string rel in new[] { "upload", "pending_changes", "approve_all_changes", "disapprove_all_changes" })
                links.Add(Link(rel, Href(ctx, Relative(e) + "/" + rel)));
        }
        else if (e.Type == RuleType)
        {
            links.Add(Link("add_before", Href(ctx, Relative(e) + "/add_before")));
            links.Add(Link("add_after", Href(ctx, Relative(e) + "/add_after")));
            // Hrefs inside a rule are absolute, of the request's version.
            foreach (string cell in new[] { "sources", "destinations", "services" })
                if (o[cell] is JsonObject c)
                    foreach (string list in new[] { "src", "dst", "service" })
                        if (c[list] is JsonArray refs)
                            c[list] = new JsonArray(refs.Select(r => (JsonNode)AbsoluteHref(ctx, r?.GetValue<string>())).ToArray());
            o["action"] = ActionFor(Version(ctx), o["action"] as JsonObject);
        }
        else if (e.Type == "group" && o["element"] is JsonArray members)
        {
            o["element"] = new JsonArray(members.Select(r => (JsonNode)AbsoluteHref(ctx, r?.GetValue<string>())).ToArray());
        }
        o["link"] = links;
        return o;
    }

    private string AbsoluteHref(HttpContext ctx, string stored)
    {
        var target = Resolve(stored);
        return target == null ? stored : Href(ctx, Relative(target));
    }

    private static JsonObject Link(string rel, string href) => new JsonObject { ["rel"] = rel, ["href"] = href };

    private Task GetElement(HttpContext ctx)
    {
        string type = HttpJson.Route(ctx, "type");
        int id = int.Parse(HttpJson.Route(ctx, "id"), CultureInfo.InvariantCulture);
        lock (_gate)
        {
            if (!_elements.TryGetValue(id, out var e) || e.Type != type) return WriteNotFound(ctx);
            // GET supports If-None-Match [DOC FPUG 7.0.0 GUID-B13FAC16].
            if (ctx.Request.Headers.IfNoneMatch.ToString() == e.ETag) { _notModified++; ctx.Response.StatusCode = 304; return Task.CompletedTask; }
            ctx.Response.Headers.ETag = e.ETag;
            return HttpJson.Write(ctx, 200, Render(ctx, e));
        }
    }

    /// <summary>
    /// The ETag a write names: If-Match, or "Etag" as the SDK sends on PUT [CODE SDK api/web.py].
    /// A write without either is refused with 400 [INF: UNVERIFIED, the guide only says PUT is
    /// conditional].
    /// </summary>
    private static string WriteETag(HttpContext ctx)
    {
        string v = ctx.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(v)) v = ctx.Request.Headers["Etag"].ToString();
        return string.IsNullOrEmpty(v) ? null : v;
    }

    /// <summary>Null when the write may go ahead; otherwise the reply already chosen (400 or 409).</summary>
    private Task Conditional(HttpContext ctx, Element e, bool required)
    {
        if (_concurrentEditsNext > 0)
        {
            // Another administrator saved the element a moment ago.
            _concurrentEditsNext--;
            e.Revision++;
        }
        string etag = WriteETag(ctx);
        if (etag == null)
            return required ? Error(ctx, 400, "Missing If-Match header", "Send the element's ETag in If-Match.") : null;
        if (etag != e.ETag)
        {
            _conflicts++;
            return Error(ctx, 409, "Conflict", "The ETag is not current: the element was changed by someone else. Read it again.");
        }
        return null;
    }

    private async Task PutElement(HttpContext ctx)
    {
        string type = HttpJson.Route(ctx, "type");
        int id = int.Parse(HttpJson.Route(ctx, "id"), CultureInfo.InvariantCulture);
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        Task reply;
        lock (_gate) reply = PutElementLocked(ctx, type, id, body);
        await reply;
    }

    private Task PutElementLocked(HttpContext ctx, string type, int id, JsonObject body)
    {
        if (!_elements.TryGetValue(id, out var e) || e.Type != type) return WriteNotFound(ctx);
        var refused = Conditional(ctx, e, required: true);
        if (refused != null) return refused;
        if (body == null) return Error(ctx, 400, "The request body must be a JSON object.");
        string bad = Check(type, body);
        if (bad != null) return Error(ctx, 400, "Cannot update the element", bad);
        Normalize(type, body);
        e.Body = body;
        e.Revision++;
        Changed(e, "stonegate.object.update");
        ctx.Response.Headers.ETag = e.ETag;
        ctx.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    private Task DeleteElement(HttpContext ctx)
    {
        string type = HttpJson.Route(ctx, "type");
        int id = int.Parse(HttpJson.Route(ctx, "id"), CultureInfo.InvariantCulture);
        lock (_gate)
        {
            if (!_elements.TryGetValue(id, out var e) || e.Type != type) return WriteNotFound(ctx);
            var refused = Conditional(ctx, e, required: false);
            if (refused != null) return refused;
            string user = ReferencedBy(e);
            // A referenced element cannot be deleted; status and text [INF].
            if (user != null) return Error(ctx, 400, "Cannot delete the element", $"'{e.Name}' is referenced by {user}.");
            _elements.Remove(id);
            Changed(e, "stonegate.object.delete");
        }
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private string ReferencedBy(Element target)
    {
        foreach (var e in _elements.Values)
        {
            string text = e.Body.ToJsonString();
            if (e != target && text.Contains("elements/" + target.Type + "/" + target.Id + "\"", StringComparison.Ordinal))
                return $"{(e.Type == RuleType ? "rule" : e.Type)} '{e.Name}'";
        }
        return null;
    }

    // ------------------------------------------------------------------------------ rules

    private Element Policy(HttpContext ctx)
    {
        int id = int.Parse(HttpJson.Route(ctx, "id"), CultureInfo.InvariantCulture);
        return _elements.TryGetValue(id, out var p) && p.Type == "fw_policy" ? p : null;
    }

    private Element Rule(HttpContext ctx, Element policy)
    {
        int rid = int.Parse(HttpJson.Route(ctx, "rid"), CultureInfo.InvariantCulture);
        return policy != null && policy.Rules.Contains(rid) ? _elements[rid] : null;
    }

    private Task ListRules(HttpContext ctx)
    {
        lock (_gate)
        {
            var policy = Policy(ctx);
            if (policy == null) return WriteNotFound(ctx);
            return Results(ctx, policy.Rules.Select(r => _elements[r]));
        }
    }

    private Element AddRule(Element policy, JsonObject body, int at)
    {
        var rule = new Element { Id = ++_nextId, Type = RuleType, Body = body, PolicyId = policy.Id };
        // Read-only tag "<id>.<n>" like the SDK's samples ("2097166.2") [CODE SDK policy/rule.py;
        // FPA firewall_rule_facts.py sample]; its make-up is UNVERIFIED [INF].
        body["tag"] = rule.Id.ToString(CultureInfo.InvariantCulture) + "." + policy.Id.ToString(CultureInfo.InvariantCulture);
        _elements[rule.Id] = rule;
        policy.Rules.Insert(at, rule.Id);
        Changed(rule, "stonegate.object.insert");
        return rule;
    }

    /// <summary>
    /// Checks and stores a rule body as the SDK builds it [CODE SDK policy/rule.py,
    /// policy/rule_elements.py]: cells {"any":true} | {"none":true} | {"any":false,"src":[hrefs]};
    /// action.action a string up to 6.5 and a list from 6.6 [CODE SDK]. A body in the other
    /// version's format is refused with 400 [INF: what the SMC does then is UNVERIFIED].
    /// </summary>
    private string CheckRule(string ver, JsonObject body)
    {
        if (body == null) return "The request body must be a JSON object.";
        foreach (var (cell, list, kinds) in new[] { ("sources", "src", NetworkTypes), ("destinations", "dst", NetworkTypes), ("services", "service", ServiceTypes) })
        {
            if (body[cell] == null) { body[cell] = new JsonObject { ["none"] = true }; continue; }   // left out = none [CODE SDK]
            if (body[cell] is not JsonObject c) return $"{cell} must be an object.";
            if (HttpJson.Bool(c, "any") == true || HttpJson.Bool(c, "none") == true) continue;
            if (c[list] is not JsonArray refs) return $"{cell} needs 'any', 'none' or a '{list}' list.";
            var stored = new JsonArray();
            foreach (var r in refs)
            {
                var target = Resolve(r?.GetValue<string>());
                if (target == null || !kinds.Contains(target.Type)) return $"{cell}: '{r}' is not a known {(kinds == ServiceTypes ? "service" : "network element")}.";
                stored.Add(Relative(target));
            }
            c[list] = stored;
        }
        var action = body["action"] as JsonObject;
        JsonNode value = action?["action"];
        bool listFormat = EmulatorOptions.Compare(EmulatorOptions.SmcApiVersion(ver), new[] { 6, 6 }) >= 0;
        string single;
        if (listFormat)
        {
            if (value is not JsonArray a || a.Count != 1) return $"API {ver}: action.action must be a list such as [\"allow\"].";
            single = a[0]?.GetValue<string>();
        }
        else
        {
            if (value is not JsonValue) return $"API {ver}: action.action must be a string such as \"allow\".";
            single = HttpJson.Str(action, "action");
        }
        string[] actions = { "allow", "discard", "continue", "refuse", "jump", "apply_vpn", "enforce_vpn", "forward_vpn", "blacklist", "block_list", "forced_next_hop", "explicit_proxy_jump" };
        if (!actions.Contains(single)) return $"'{single}' is not a rule action.";
        action["action"] = new JsonArray(single);   // stored in the list form
        body.Remove("link");
        body.Remove("key");
        return null;
    }

    private static JsonObject ActionFor(string ver, JsonObject stored)
    {
        var a = (JsonObject)(stored?.DeepClone() ?? new JsonObject());
        string single = (a["action"] as JsonArray)?.FirstOrDefault()?.GetValue<string>() ?? "allow";
        bool listFormat = EmulatorOptions.Compare(EmulatorOptions.SmcApiVersion(ver), new[] { 6, 6 }) >= 0;
        a["action"] = listFormat ? new JsonArray(single) : single;
        return a;
    }

    private async Task CreateRule(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        Task reply;
        lock (_gate) reply = CreateRuleLocked(ctx, body);
        await reply;
    }

    private Task CreateRuleLocked(HttpContext ctx, JsonObject body)
    {
        var policy = Policy(ctx);
        if (policy == null) return WriteNotFound(ctx);
        string bad = CheckRule(Version(ctx), body);
        if (bad != null) return Error(ctx, 400, "Cannot create the rule", bad);
        // ?after=<tag> / ?before=<tag>; no position: the top [CODE SDK policy/rule.py create].
        int at = 0;
        string after = HttpJson.Query(ctx, "after"), before = HttpJson.Query(ctx, "before");
        string tag = after ?? before;
        if (tag != null)
        {
            int index = policy.Rules.FindIndex(r => HttpJson.Str(_elements[r].Body, "tag") == tag);
            if (index < 0) return Error(ctx, 400, "Cannot create the rule", $"No rule with the tag '{tag}' in this policy.");
            at = after != null ? index + 1 : index;
        }
        var rule = AddRule(policy, body, at);
        ctx.Response.Headers.Location = Href(ctx, Relative(rule));
        ctx.Response.StatusCode = 201;
        return Task.CompletedTask;
    }

    private async Task AddBesideRule(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        Task reply;
        lock (_gate) reply = AddBesideRuleLocked(ctx, body);
        await reply;
    }

    private Task AddBesideRuleLocked(HttpContext ctx, JsonObject body)
    {
        string where = HttpJson.Route(ctx, "where");
        var policy = Policy(ctx);
        var anchor = Rule(ctx, policy);
        if (anchor == null || (where != "add_before" && where != "add_after")) return WriteNotFound(ctx);
        body?.Remove("tag");
        string bad = CheckRule(Version(ctx), body);
        if (bad != null) return Error(ctx, 400, "Cannot create the rule", bad);
        int index = policy.Rules.IndexOf(anchor.Id);
        var rule = AddRule(policy, body, where == "add_after" ? index + 1 : index);
        ctx.Response.Headers.Location = Href(ctx, Relative(rule));
        ctx.Response.StatusCode = 201;
        return Task.CompletedTask;
    }

    private Task GetRule(HttpContext ctx)
    {
        lock (_gate)
        {
            var rule = Rule(ctx, Policy(ctx));
            if (rule == null) return WriteNotFound(ctx);
            // GET supports If-None-Match [DOC FPUG 7.0.0 GUID-B13FAC16].
            if (ctx.Request.Headers.IfNoneMatch.ToString() == rule.ETag) { _notModified++; ctx.Response.StatusCode = 304; return Task.CompletedTask; }
            ctx.Response.Headers.ETag = rule.ETag;
            return HttpJson.Write(ctx, 200, Render(ctx, rule));
        }
    }

    /// <summary>Update = PUT the whole rule [CODE SDK policy/rule.py]; the tag stays.</summary>
    private async Task PutRule(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        Task reply;
        lock (_gate) reply = PutRuleLocked(ctx, body);
        await reply;
    }

    private Task PutRuleLocked(HttpContext ctx, JsonObject body)
    {
        var rule = Rule(ctx, Policy(ctx));
        if (rule == null) return WriteNotFound(ctx);
        var refused = Conditional(ctx, rule, required: true);
        if (refused != null) return refused;
        string bad = CheckRule(Version(ctx), body);
        if (bad != null) return Error(ctx, 400, "Cannot update the rule", bad);
        body["tag"] = HttpJson.Str(rule.Body, "tag");
        rule.Body = body;
        rule.Revision++;
        Changed(rule, "stonegate.object.update");
        ctx.Response.Headers.ETag = rule.ETag;
        ctx.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    private Task DeleteRule(HttpContext ctx)
    {
        lock (_gate)
        {
            var policy = Policy(ctx);
            var rule = Rule(ctx, policy);
            if (rule == null) return WriteNotFound(ctx);
            var refused = Conditional(ctx, rule, required: false);
            if (refused != null) return refused;
            policy.Rules.Remove(rule.Id);
            _elements.Remove(rule.Id);
            Changed(rule, "stonegate.object.delete");
        }
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    // ------------------------------------------------------------------------------ upload

    private Task UploadFromPolicy(HttpContext ctx)
    {
        lock (_gate)
        {
            var policy = Policy(ctx);
            if (policy == null) return WriteNotFound(ctx);
            string engine = HttpJson.Query(ctx, "filter");
            if (!_elements.Values.Any(e => EngineTypes.Contains(e.Type) && e.Name == engine))
                return Error(ctx, 400, "Cannot upload the policy", $"No engine named '{engine}'.");   // [INF]
            return StartUpload(ctx, policy, engine, 200);
        }
    }

    private Task UploadFromEngine(HttpContext ctx)
    {
        lock (_gate)
        {
            int id = int.Parse(HttpJson.Route(ctx, "id"), CultureInfo.InvariantCulture);
            if (!_elements.TryGetValue(id, out var engine) || engine.Type != "single_fw") return WriteNotFound(ctx);
            string name = HttpJson.Query(ctx, "filter");
            var policy = _elements.Values.FirstOrDefault(e => e.Type == "fw_policy" && e.Name == name);
            if (policy == null) return Error(ctx, 400, "Cannot upload the policy", $"No firewall policy named '{name}'.");   // [INF]
            return StartUpload(ctx, policy, engine.Name, 201);
        }
    }

    private Task StartUpload(HttpContext ctx, Element policy, string engine, int status)
    {
        string task = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');
        _uploads[task] = new UploadTask { PolicyId = policy.Id, Engine = engine, Started = DateTime.UtcNow, Failure = _uploadFailure };
        _uploadsStarted++;
        return HttpJson.Write(ctx, status, FollowerBody(ctx, task, _uploads[task]));
    }

    private JsonObject FollowerBody(HttpContext ctx, string task, UploadTask t)
    {
        var policy = _elements[t.PolicyId];
        double elapsed = (DateTime.UtcNow - t.Started).TotalMilliseconds;
        bool running = elapsed < _uploadMs;
        // "success" is already true while the task runs [CODE SDK administration/tasks.py is_success].
        return new JsonObject
        {
            ["follower"] = Href(ctx, Relative(policy) + "/upload/" + task),
            ["href"] = Href(ctx, Relative(policy)),
            ["in_progress"] = running,
            ["progress"] = running ? (int)(100 * elapsed / Math.Max(1, _uploadMs)) : 100,
            ["success"] = running || t.Failure == null,
            ["last_message"] = running ? "Uploading the policy to " + t.Engine
                : t.Failure ?? $"Policy '{policy.Name}' installed on {t.Engine}.",
            ["start_time"] = new DateTimeOffset(t.Started).ToUnixTimeMilliseconds(),
            ["end_time"] = running ? null : new DateTimeOffset(t.Started.AddMilliseconds(_uploadMs)).ToUnixTimeMilliseconds(),
            ["link"] = new JsonArray(Link("result", Href(ctx, Relative(policy) + "/upload/" + task))),
        };
    }

    private Task Follower(HttpContext ctx)
    {
        string task = HttpJson.Route(ctx, "task");
        lock (_gate)
        {
            if (!_uploads.TryGetValue(task, out var t)) return WriteNotFound(ctx);
            var body = FollowerBody(ctx, task, t);
            if (HttpJson.Bool(body, "in_progress") == false && !t.Counted)
            {
                if (t.Failure == null)
                {
                    // An installed policy clears the engine's pending changes [INF].
                    _pending.Clear();
                }
                else
                {
                    _uploadsFailed++;
                }
                t.Counted = true;
            }
            return HttpJson.Write(ctx, 200, body);
        }
    }

    // ------------------------------------------------------------------------------ pending changes

    private Task PendingChanges(HttpContext ctx)
    {
        lock (_gate)
        {
            int id = int.Parse(HttpJson.Route(ctx, "id"), CultureInfo.InvariantCulture);
            if (id != _engineId) return WriteNotFound(ctx);
            return HttpJson.Write(ctx, 200, new JsonObject
            {
                ["result"] = new JsonArray(_pending.Select(p =>
                {
                    var o = (JsonObject)p.DeepClone();
                    o["element"] = Href(ctx, HttpJson.Str(p, "element"));
                    return (JsonNode)o;
                }).ToArray()),
            });
        }
    }

    private Task Approve(HttpContext ctx, bool approve)
    {
        lock (_gate)
        {
            int id = int.Parse(HttpJson.Route(ctx, "id"), CultureInfo.InvariantCulture);
            if (id != _engineId) return WriteNotFound(ctx);
            if (approve)
                foreach (var p in _pending) { p["approved_on"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture); p["approver"] = ApiClientName; }
            else _pending.Clear();
        }
        ctx.Response.StatusCode = 200;
        return Task.CompletedTask;
    }
}
