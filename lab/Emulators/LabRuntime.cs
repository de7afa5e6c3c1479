using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace RemoteOps.Lab.Emulators;

/// <summary>The fault knobs set by POST /_lab/faults. Emulator-only; no appliance has these.</summary>
internal sealed class FaultConfig
{
    public int LatencyMs;
    public int Status429Every;
    public int? RetryAfterSec;
    public int Status503Every;
    public int DropEvery;
    public string DropMode = "before";
    public string FailPathContains;
    public int FailStatus = 500;
    public int Count;

    public static readonly string[] Knobs =
    {
        "latencyMs", "status429Every", "retryAfterSec", "status503Every", "dropEvery", "dropMode",
        "expireApiKeysNow", "failPathContains", "failStatus", "count",
    };

    public bool HasEffect =>
        LatencyMs > 0 || Status429Every > 0 || Status503Every > 0 || DropEvery > 0 || !string.IsNullOrEmpty(FailPathContains);

    public JsonObject ToJson() => new JsonObject
    {
        ["latencyMs"] = LatencyMs,
        ["status429Every"] = Status429Every,
        ["retryAfterSec"] = RetryAfterSec,
        ["status503Every"] = Status503Every,
        ["dropEvery"] = DropEvery,
        ["dropMode"] = DropMode,
        ["failPathContains"] = FailPathContains,
        ["failStatus"] = FailStatus,
        ["count"] = Count,
    };
}

/// <summary>
/// Process-wide lab state that is not appliance-specific: the control token, fault injection,
/// request statistics, the user-create counters and endpoint.json.
/// </summary>
internal sealed class LabRuntime
{
    public const string ControlHeader = "X-Lab-Control";

    private enum FaultKind { None, FailPath, Drop, Status503, Status429 }

    private readonly object _gate = new object();
    private readonly object _fileGate = new object();
    private FaultConfig _faults;
    private long _faultSeq;
    private long _faultsSpent;
    private long _requestsTotal;
    private readonly ConcurrentDictionary<string, long> _requests = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _faultCounts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
    private long _ucReceived, _ucCreated, _ucDuplicate;
    private readonly ConcurrentDictionary<string, long[]> _ucByName = new ConcurrentDictionary<string, long[]>(StringComparer.Ordinal);

    public LabRuntime(EmulatorOptions options, LabCertificateSet certs, string endpointPath)
    {
        Options = options;
        Certificates = certs;
        EndpointPath = endpointPath;
        ControlToken = HttpJson.NewSecret(24);
        StartedUtc = DateTime.UtcNow;
        ExpiresUtc = StartedUtc.AddSeconds(options.MaxLifetimeSec);
    }

    public EmulatorOptions Options { get; }
    public LabCertificateSet Certificates { get; }
    public string EndpointPath { get; }
    public string ControlToken { get; }
    public DateTime StartedUtc { get; }
    public DateTime ExpiresUtc { get; }
    public IApplianceEmulator Emulator { get; set; }
    /// <summary>Set once the listener accepts connections; endpoint.json is written only after that.</summary>
    public string BaseUrl { get; set; }

    // ---------------------------------------------------------------- user-create statistics

    /// <summary>A user-create request reached the handler (counted before any validation of the name).</summary>
    public void UserCreateReceived(string name)
    {
        Interlocked.Increment(ref _ucReceived);
        Interlocked.Increment(ref ByName(name)[0]);
    }

    public void UserCreated(string name)
    {
        Interlocked.Increment(ref _ucCreated);
        Interlocked.Increment(ref ByName(name)[1]);
    }

    public void UserCreateDuplicate(string name)
    {
        Interlocked.Increment(ref _ucDuplicate);
        Interlocked.Increment(ref ByName(name)[2]);
    }

    private long[] ByName(string name) => _ucByName.GetOrAdd(name ?? "(none)", _ => new long[3]);

    // ---------------------------------------------------------------- endpoint.json

    public void WriteEndpointFile()
    {
        if (BaseUrl == null) return;
        var c = Certificates;
        var o = new JsonObject
        {
            ["kind"] = Options.Kind,
            ["version"] = Options.Version,
            ["baseUrl"] = BaseUrl,
            ["pid"] = Environment.ProcessId,
            ["caCertificate"] = c.CaCertificatePath,
            ["serverCertificate"] = c.ServerCertificatePath,
            ["thumbprintSha256"] = c.ThumbprintSha256,
            ["spkiSha256"] = c.SpkiSha256,
            ["adminUser"] = null,
            ["adminPassword"] = null,
            ["apiToken"] = null,
            ["controlHeader"] = ControlHeader,
            ["controlToken"] = ControlToken,
            ["startedAt"] = StartedUtc.ToString("o", CultureInfo.InvariantCulture),
            ["expiresAt"] = ExpiresUtc.ToString("o", CultureInfo.InvariantCulture),
            ["parentPid"] = Options.ParentPid,
        };
        Emulator.FillEndpointInfo(o);
        string text = o.ToJsonString(HttpJson.Indented) + "\n";
        lock (_fileGate) AtomicFile.WriteText(EndpointPath, text, secret: true);
    }

    /// <summary>Removes endpoint.json when it still describes this process.</summary>
    public void RemoveEndpointFile()
    {
        lock (_fileGate)
        {
            try
            {
                if (!File.Exists(EndpointPath)) return;
                var o = HttpJson.ParseObject(File.ReadAllText(EndpointPath));
                if (HttpJson.Int(o, "pid") == Environment.ProcessId) File.Delete(EndpointPath);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    // ---------------------------------------------------------------- middleware

    /// <summary>
    /// Runs after routing. Control requests (/_lab/...) need the control header and never see
    /// faults. Every other request is counted per method + route template, then delayed and
    /// possibly faulted.
    /// </summary>
    public async Task Handle(HttpContext ctx, RequestDelegate next)
    {
        string path = ctx.Request.Path.Value ?? "";
        if (path == "/_lab" || path.StartsWith("/_lab/", StringComparison.Ordinal))
        {
            if (!HttpJson.FixedEquals(ctx.Request.Headers[ControlHeader], ControlToken))
            {
                await HttpJson.Write(ctx, 401, new JsonObject { ["error"] = $"missing or wrong {ControlHeader} header" });
                return;
            }
            await next(ctx);
            return;
        }

        string template = ctx.GetEndpoint() is RouteEndpoint re ? "/" + re.RoutePattern.RawText.TrimStart('/') : "(unmatched)";
        _requests.AddOrUpdate(ctx.Request.Method + " " + template, 1, (_, v) => v + 1);
        Interlocked.Increment(ref _requestsTotal);

        var (latency, kind, cfg) = Decide(path + ctx.Request.QueryString.Value);
        if (latency > 0)
        {
            CountFault("latency");
            try { await Task.Delay(latency, ctx.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }

        switch (kind)
        {
            case FaultKind.Drop:
                CountFault("drop");
                if (cfg.DropMode == "after")
                {
                    // The request is processed (a create really happens), then the reply is lost.
                    ctx.Response.Body = new MemoryStream();
                    try { await next(ctx); }
                    finally { await Drop(ctx, graceful: true); }
                }
                else
                {
                    await Drop(ctx, graceful: cfg.DropMode != "reset");
                }
                return;
            case FaultKind.Status503:
                CountFault("status503");
                SetRetryAfter(ctx, cfg);
                await Emulator.WriteFault(ctx, 503, "Service temporarily unavailable (injected by the lab)");
                return;
            case FaultKind.Status429:
                CountFault("status429");
                SetRetryAfter(ctx, cfg);
                await Emulator.WriteFault(ctx, 429, "Too many requests (injected by the lab)");
                return;
            case FaultKind.FailPath:
                CountFault("failPath");
                await Emulator.WriteFault(ctx, cfg.FailStatus, "Request failed (injected by the lab)");
                return;
        }
        await next(ctx);
        // No route matched the path at all: answer in the vendor's style. (A known path with a
        // wrong verb is answered 405 by routing.)
        if (ctx.GetEndpoint() == null && ctx.Response.StatusCode == 404 && !ctx.Response.HasStarted)
            await Emulator.WriteNotFound(ctx);
    }

    /// <summary>
    /// Ends the connection without a reply. graceful (HTTP/1.x): TLS close_notify then FIN, which a
    /// client sees as an empty reply (curl exit 52); otherwise HttpContext.Abort(), a TCP reset
    /// (curl 56). On HTTP/2 only the stream can go: Abort() resets it (curl 92).
    /// </summary>
    private static async Task Drop(HttpContext ctx, bool graceful)
    {
        if (graceful && !HttpProtocol.IsHttp2(ctx.Request.Protocol) && !HttpProtocol.IsHttp3(ctx.Request.Protocol))
        {
            try
            {
                var ssl = ctx.Features.Get<ISslStreamFeature>()?.SslStream;
                if (ssl != null) await ssl.ShutdownAsync();
                ctx.Features.Get<IConnectionSocketFeature>()?.Socket?.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            }
            catch (IOException) { }
            catch (System.Net.Sockets.SocketException) { }
            catch (ObjectDisposedException) { }
            catch (InvalidOperationException) { }
        }
        ctx.Abort();
    }

    private static void SetRetryAfter(HttpContext ctx, FaultConfig cfg)
    {
        int s = cfg.RetryAfterSec ?? 1;
        if (s > 0) ctx.Response.Headers.RetryAfter = s.ToString(CultureInfo.InvariantCulture);
    }

    private void CountFault(string name) => _faultCounts.AddOrUpdate(name, 1, (_, v) => v + 1);

    private (int latency, FaultKind kind, FaultConfig cfg) Decide(string pathAndQuery)
    {
        lock (_gate)
        {
            var f = _faults;
            if (f == null) return (0, FaultKind.None, null);
            long n = ++_faultSeq;
            var kind = FaultKind.None;
            if (f.Count == 0 || _faultsSpent < f.Count)
            {
                if (!string.IsNullOrEmpty(f.FailPathContains) && pathAndQuery.Contains(f.FailPathContains, StringComparison.Ordinal))
                    kind = FaultKind.FailPath;
                else if (f.DropEvery > 0 && n % f.DropEvery == 0) kind = FaultKind.Drop;
                else if (f.Status503Every > 0 && n % f.Status503Every == 0) kind = FaultKind.Status503;
                else if (f.Status429Every > 0 && n % f.Status429Every == 0) kind = FaultKind.Status429;
                if (kind != FaultKind.None) _faultsSpent++;
            }
            return (f.LatencyMs, kind, f);
        }
    }

    // ---------------------------------------------------------------- control API

    public void MapControl(WebApplication app)
    {
        app.MapGet("/_lab/faults", ctx => HttpJson.Write(ctx, 200, FaultsJson()));
        app.MapPost("/_lab/faults", PostFaults);
        app.MapDelete("/_lab/faults", ctx =>
        {
            lock (_gate) { _faults = null; _faultSeq = 0; _faultsSpent = 0; }
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        app.MapPost("/_lab/sessions", async ctx =>
        {
            var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx)) ?? new JsonObject();
            var result = Emulator.SeedSessions(body, out string error);
            await (result == null ? Bad(ctx, error) : HttpJson.Write(ctx, 200, result));
        });
        app.MapDelete("/_lab/sessions", ctx =>
            HttpJson.Write(ctx, 200, new JsonObject { ["removed"] = Emulator.ClearSessions() }));
        app.MapPost("/_lab/references", async ctx =>
        {
            var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
            if (body == null) { await Bad(ctx, "body must be a JSON object"); return; }
            var result = Emulator.AddReference(body, out string error);
            await (result == null ? Bad(ctx, error) : HttpJson.Write(ctx, 200, result));
        });
        app.MapGet("/_lab/settings", ctx => HttpJson.Write(ctx, 200, Emulator.Settings(null, out _)));
        app.MapPost("/_lab/settings", async ctx =>
        {
            var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
            if (body == null) { await Bad(ctx, "body must be a JSON object"); return; }
            var result = Emulator.Settings(body, out string error);
            await (result == null ? Bad(ctx, error) : HttpJson.Write(ctx, 200, result));
        });
        app.MapGet("/_lab/stats", ctx => HttpJson.Write(ctx, 200, Stats()));
        app.MapPost("/_lab/reset", ctx =>
        {
            lock (_gate) { _faults = null; _faultSeq = 0; _faultsSpent = 0; }
            _requests.Clear();
            _faultCounts.Clear();
            Interlocked.Exchange(ref _requestsTotal, 0);
            Interlocked.Exchange(ref _ucReceived, 0);
            Interlocked.Exchange(ref _ucCreated, 0);
            Interlocked.Exchange(ref _ucDuplicate, 0);
            _ucByName.Clear();
            Emulator.Reset();
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        app.MapGet("/_lab", ctx => HttpJson.Write(ctx, 200, new JsonObject
        {
            ["kind"] = Options.Kind,
            ["version"] = Options.Version,
            ["endpoints"] = new JsonArray("GET|POST|DELETE /_lab/faults", "POST|DELETE /_lab/sessions", "POST /_lab/references",
                                          "GET|POST /_lab/settings", "GET /_lab/stats", "POST /_lab/reset"),
        }));
    }

    private JsonObject FaultsJson()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["faults"] = _faults?.ToJson(),
                ["requestsSeen"] = _faultSeq,
                ["faultsSpent"] = _faultsSpent,
            };
        }
    }

    private async Task PostFaults(HttpContext ctx)
    {
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        if (body == null) { await Bad(ctx, "body must be a JSON object"); return; }
        foreach (var kv in body)
            if (Array.IndexOf(FaultConfig.Knobs, kv.Key) < 0)
            {
                await Bad(ctx, $"unknown fault knob '{kv.Key}'; known: {string.Join(", ", FaultConfig.Knobs)}");
                return;
            }

        var f = new FaultConfig();
        string err = null;
        int Knob(string name, int min, int max, int dflt)
        {
            if (!body.ContainsKey(name) || body[name] == null) return dflt;
            long? v = HttpJson.Int(body, name);
            if (v == null || v < min || v > max) { err ??= $"{name} must be an integer in {min}..{max}"; return dflt; }
            return (int)v;
        }
        f.LatencyMs = Knob("latencyMs", 0, 60000, 0);
        f.Status429Every = Knob("status429Every", 0, 1000000, 0);
        f.Status503Every = Knob("status503Every", 0, 1000000, 0);
        f.DropEvery = Knob("dropEvery", 0, 1000000, 0);
        f.FailStatus = Knob("failStatus", 400, 599, 500);
        f.Count = Knob("count", 0, 1000000, 0);
        if (body.ContainsKey("retryAfterSec") && body["retryAfterSec"] != null) f.RetryAfterSec = Knob("retryAfterSec", 0, 3600, 1);
        f.FailPathContains = HttpJson.Str(body, "failPathContains");
        string mode = HttpJson.Str(body, "dropMode");
        if (mode != null)
        {
            if (mode != "before" && mode != "after" && mode != "reset") err ??= "dropMode must be 'before', 'after' or 'reset'";
            else f.DropMode = mode;
        }
        bool? expire = body.ContainsKey("expireApiKeysNow") ? HttpJson.Bool(body, "expireApiKeysNow") : false;
        if (expire == null) err ??= "expireApiKeysNow must be true or false";
        if (err != null) { await Bad(ctx, err); return; }

        lock (_gate)
        {
            _faults = f.HasEffect ? f : null;
            _faultSeq = 0;
            _faultsSpent = 0;
        }
        var reply = FaultsJson();
        if (expire == true) reply["expired"] = Emulator.ExpireCredentials();
        await HttpJson.Write(ctx, 200, reply);
    }

    private JsonObject Stats()
    {
        var req = new JsonObject();
        foreach (var kv in _requests.OrderBy(k => k.Key, StringComparer.Ordinal)) req[kv.Key] = kv.Value;
        var faults = new JsonObject();
        foreach (var kv in _faultCounts.OrderBy(k => k.Key, StringComparer.Ordinal)) faults[kv.Key] = kv.Value;
        var byName = new JsonObject();
        foreach (var kv in _ucByName.OrderBy(k => k.Key, StringComparer.Ordinal))
            byName[kv.Key] = new JsonObject
            {
                ["received"] = Interlocked.Read(ref kv.Value[0]),
                ["created"] = Interlocked.Read(ref kv.Value[1]),
                ["duplicates"] = Interlocked.Read(ref kv.Value[2]),
            };
        long faultsTotal = _faultCounts.Where(k => k.Key != "latency").Sum(k => k.Value);
        return new JsonObject
        {
            ["kind"] = Options.Kind,
            // Flat totals for quick assertions (same numbers as the structured fields below).
            ["userCreateRequests"] = Interlocked.Read(ref _ucReceived),
            ["usersCreated"] = Interlocked.Read(ref _ucCreated),
            ["duplicateCreateAttempts"] = Interlocked.Read(ref _ucDuplicate),
            ["faultsInjected"] = faultsTotal,
            ["requestsTotal"] = Interlocked.Read(ref _requestsTotal),
            ["requests"] = req,
            ["faultsTotal"] = faultsTotal,
            ["faults"] = faults,
            ["userCreates"] = new JsonObject
            {
                ["received"] = Interlocked.Read(ref _ucReceived),
                ["created"] = Interlocked.Read(ref _ucCreated),
                ["duplicates"] = Interlocked.Read(ref _ucDuplicate),
                ["byName"] = byName,
            },
            ["state"] = Emulator.Summary(),
        };
    }

    private static Task Bad(HttpContext ctx, string error) =>
        HttpJson.Write(ctx, 400, new JsonObject { ["error"] = error });
}
