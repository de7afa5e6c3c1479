using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RemoteOps.Lab.Emulators.SecurId;

/// <summary>
/// RSA SecurID: the Cloud Administration REST API (/AdminInterface/restapi), its OAuth token
/// endpoint (/oauth/token) and the Authentication API (/mfa/v1_1), on one listener. With
/// --version am only the Authentication API is served, as on Authentication Manager 8.x (port
/// 5555 there; the lab uses its ephemeral port).
///
/// Sources, cited per endpoint with the evidence tags of README.md. "RSA-KB x" is the RSA
/// community article "Cloud Administration ... API" with that id at community.rsa.com:
///   auth = https://community.rsa.com/t5/securid-cloud-authentication/authentication-for-the-cloud-administration-apis/ta-p/623068
///   keys = https://community.rsa.com/s/article/ka4PO00000030czYAA (admin API key file, adminRestApiUrl)
///   pydplus = github.com/jeffshurtliff/pydplus src/pydplus/auth.py, constants.py, examples/responses/*.json
///   rsa-ingo = github.com/rsa-ingo/rsa-idplus-admin-api (admin API client) and
///              github.com/rsa-ingo/rsa-securid-authentication-api docs/*.md (Authentication API v1.0.2)
///   ForgeRock = github.com/ForgeRock/Rsa-SecurId-Auth-Tree-Nodes SecurID.java
/// </summary>
internal sealed class SecurIdEmulator : IApplianceEmulator
{
    private const string AdminBase = "/AdminInterface/restapi";
    private const string AuthBase = "/mfa/v1_1";
    private const string TokenPath = "/oauth/token";
    private const string OAuthClientId = "remoteops-lab-client";
    private const string OAuthKeyId = "lab-key-1";
    private const int SkewSec = 60;
    private static readonly JsonSerializerOptions SeedJson = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };

    private readonly LabRuntime _lab;
    private readonly bool _cloud;
    private readonly RSA _adminKey = RSA.Create(2048);
    private readonly RSA _oauthKey = RSA.Create(2048);
    private readonly string _accessId = Guid.NewGuid().ToString();
    private readonly string _clientKey = HttpJson.NewSecret(24);
    private readonly object _gate = new object();
    private readonly Dictionary<string, DateTime> _accessTokens = new Dictionary<string, DateTime>(StringComparer.Ordinal);
    private readonly HashSet<string> _seenJti = new HashSet<string>(StringComparer.Ordinal);
    private Dictionary<string, User> _users;
    private Dictionary<string, Attempt> _attempts;
    private int _lockoutThreshold;
    private int _accessTokenLifetimeSec;
    private long _codesIssued, _jwtRejected, _tokensIssued;

    public SecurIdEmulator(LabRuntime lab)
    {
        _lab = lab;
        _cloud = lab.Options.Version == "cloud";
        Reset();
    }

    private sealed class User
    {
        public string Id, Email, FirstName, LastName, TokenSerial, Tokencode, AppDevice, AppDeviceId;
        public bool Enabled, TokenDisabled, NextTokencodeMode, TokenLocked, SmsLocked, VoiceLocked;
        public int WrongCodes;
        public string EmergencyCodeId, EmergencyCode;
        public DateTime? EmergencyExpires;
    }

    private sealed class Attempt
    {
        public string Id, UserEmail, LastServerMessageId;
        public bool AwaitingNextTokencode;
        public DateTime Expires;
    }

    // =====================================================================================
    // Lab hooks
    // =====================================================================================

    public void Reset()
    {
        lock (_gate)
        {
            _users = new Dictionary<string, User>(StringComparer.OrdinalIgnoreCase);
            foreach (var seed in SecurIdSeed.Users) AddUser(seed);
            _attempts = new Dictionary<string, Attempt>(StringComparer.Ordinal);
            _lockoutThreshold = 3;
            _accessTokenLifetimeSec = 3600;
        }
    }

    private void AddUser(SecurIdSeedUser s)
    {
        _users[s.Email] = new User
        {
            Id = Guid.NewGuid().ToString(), Email = s.Email, FirstName = s.FirstName, LastName = s.LastName,
            Enabled = s.Enabled, TokenSerial = s.TokenSerial, Tokencode = s.Tokencode, TokenDisabled = s.TokenDisabled,
            NextTokencodeMode = s.NextTokencodeMode, TokenLocked = s.TokenLocked, SmsLocked = s.SmsLocked, VoiceLocked = s.VoiceLocked,
            AppDevice = s.AppDevice, AppDeviceId = s.AppDevice == null ? null : Guid.NewGuid().ToString(),
        };
    }

    public void FillEndpointInfo(JsonObject o)
    {
        // The key files are written next to endpoint.json, mode 0600, once the address is known.
        string keyFile = Path.Combine(_lab.Options.StateDir, "admin-api-key.json");
        string oauthFile = Path.Combine(_lab.Options.StateDir, "oauth-client.pem");
        if (_cloud)
        {
            var key = new JsonObject
            {
                ["customerName"] = "RemoteOps Lab",
                ["accessKey"] = _adminKey.ExportPkcs8PrivateKeyPem(),
                ["adminRestApiUrl"] = _lab.BaseUrl + AdminBase + "/v1",
                ["description"] = "lab admin API key",
                ["accessID"] = _accessId,
            };
            AtomicFile.WriteText(keyFile, key.ToJsonString(HttpJson.Indented), secret: true);
            AtomicFile.WriteText(oauthFile, _oauthKey.ExportRSAPrivateKeyPem(), secret: true);
        }
        o["deployment"] = _cloud ? "Cloud" : "AuthenticationManager";
        o["adminApiKeyFile"] = _cloud ? keyFile : null;
        o["adminRestApiUrl"] = _cloud ? _lab.BaseUrl + AdminBase : null;
        o["oauthClientId"] = _cloud ? OAuthClientId : null;
        o["oauthKeyFile"] = _cloud ? oauthFile : null;
        o["oauthKeyId"] = _cloud ? OAuthKeyId : null;
        o["oauthTokenUrl"] = _cloud ? _lab.BaseUrl + TokenPath : null;
        o["authApiUrl"] = _lab.BaseUrl + AuthBase;
        o["clientKey"] = _clientKey;
        lock (_gate)
        {
            o["users"] = new JsonArray(SecurIdSeed.Users.Select(s => (JsonNode)new JsonObject
            {
                ["email"] = s.Email, ["tokenSerial"] = s.TokenSerial, ["tokencode"] = s.Tokencode,
            }).ToArray());
        }
    }

    public JsonObject SeedSessions(JsonObject body, out string error) { error = "securid has no sessions to seed"; return null; }

    public int ClearSessions() => 0;

    public JsonObject AddReference(JsonObject body, out string error) { error = "securid has no references"; return null; }

    public JsonObject ExpireCredentials()
    {
        lock (_gate)
        {
            int n = _accessTokens.Count;
            _accessTokens.Clear();
            return new JsonObject { ["accessTokensExpired"] = n };
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
                    case "lockoutThreshold":
                        if (!HttpJson.IntInRange(changes, kv.Key, 0, 100, out int t, out error, " (0 = never lock)")) return null;
                        _lockoutThreshold = t;
                        break;
                    case "accessTokenLifetimeSec":
                        if (!HttpJson.IntInRange(changes, kv.Key, 1, 86400, out int l, out error)) return null;
                        _accessTokenLifetimeSec = l;
                        break;
                    case "addUsers":
                        if (kv.Value is not JsonArray list) { error = "addUsers must be an array of users"; return null; }
                        foreach (var item in list)
                        {
                            SecurIdSeedUser seed;
                            try { seed = item.Deserialize<SecurIdSeedUser>(SeedJson); }
                            catch (JsonException ex) { error = "addUsers: " + ex.Message; return null; }
                            if (string.IsNullOrEmpty(seed?.Email)) { error = "addUsers: every user needs an email"; return null; }
                            AddUser(seed);
                        }
                        break;
                    default:
                        error = $"unknown setting '{kv.Key}'; known: lockoutThreshold, accessTokenLifetimeSec, addUsers";
                        return null;
                }
            }
            return new JsonObject
            {
                ["lockoutThreshold"] = _lockoutThreshold,
                ["accessTokenLifetimeSec"] = _accessTokenLifetimeSec,
                ["users"] = _users.Count,
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
                ["tokenLocked"] = _users.Values.Count(u => u.TokenLocked),
                ["disabled"] = _users.Values.Count(u => !u.Enabled),
                ["openAttempts"] = _attempts.Count,
                ["emergencyCodesIssued"] = _codesIssued,
                ["accessTokensIssued"] = _tokensIssued,
                ["jwtRejected"] = _jwtRejected,
            };
        }
    }

    // 429 is documented for most admin calls, its body is not (RSA-KB 0f6807d1, ta-p/623079) [INF: the code/description shape].
    public Task WriteFault(HttpContext ctx, int status, string message) =>
        Error(ctx, status, $"{status} {StatusName(status)}", message);

    public Task WriteNotFound(HttpContext ctx) => Error(ctx, 404, "404 NOT_FOUND", "Resource not found");

    // =====================================================================================
    // Endpoints
    // =====================================================================================

    public void Map(WebApplication app)
    {
        if (_cloud)
        {
            app.MapPost(TokenPath, Token);
            app.MapPost(AdminBase + "/v1/users/lookup", Lookup);
            app.MapPut(AdminBase + "/v1/users/{id}/userStatus", UserStatus);
            app.MapMethods(AdminBase + "/v1/users/{id}/methods", new[] { "PATCH" }, Unlock);
            app.MapGet(AdminBase + "/v2/users/{id}/devices", Devices);
            app.MapPut(AdminBase + "/v1/users/{id}/emergencyTokencode", EmergencyCode);
        }
        app.MapPost(AuthBase + "/authn/initialize", Initialize);
        app.MapPost(AuthBase + "/authn/verify", Verify);
        app.MapPost(AuthBase + "/authn/cancel", Cancel);
    }

    // ---------------------------------------------------------------- OAuth token endpoint

    // POST {issuer}/token, form: grant_type=client_credentials, client_id, scope, client_assertion_type=
    // urn:ietf:params:oauth:client-assertion-type:jwt-bearer, client_assertion = JWT {iss=sub=client_id, aud=token URL,
    // iat, exp=iat+300, jti}; reply {access_token, token_type, expires_in} [CODE pydplus auth.py]. The error body is the
    // RFC 6749 one {"error","error_description"} [INF: RSA documents none]. Only RS256 is emulated (ES256 is also allowed).
    private async Task Token(HttpContext ctx)
    {
        if (!ctx.Request.HasFormContentType) { await OAuthError(ctx, 400, "invalid_request", "form body expected"); return; }
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        if (form["grant_type"] != "client_credentials") { await OAuthError(ctx, 400, "unsupported_grant_type", "only client_credentials"); return; }
        if (form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") { await OAuthError(ctx, 400, "invalid_request", "client_assertion_type"); return; }
        string clientId = form["client_id"];
        var claims = CheckJwt(form["client_assertion"], _oauthKey, out string why, maxLifeSec: 300);
        if (claims == null || clientId != OAuthClientId || HttpJson.Str(claims, "iss") != OAuthClientId || HttpJson.Str(claims, "sub") != OAuthClientId
            || !Audience(claims).Contains(_lab.BaseUrl + TokenPath))
        {
            lock (_gate) _jwtRejected++;
            await OAuthError(ctx, 401, "invalid_client", why ?? "client or assertion claims do not match");
            return;
        }
        string jti = HttpJson.Str(claims, "jti");
        string token = HttpJson.NewSecret(32);
        lock (_gate)
        {
            if (jti == null || !_seenJti.Add(jti)) { _jwtRejected++; jti = null; }
            else { _accessTokens[token] = DateTime.UtcNow.AddSeconds(_accessTokenLifetimeSec); _tokensIssued++; }
        }
        if (jti == null) { await OAuthError(ctx, 401, "invalid_client", "assertion jti missing or replayed"); return; }
        await HttpJson.Write(ctx, 200, new JsonObject { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = _accessTokenLifetimeSec, ["scope"] = (string)form["scope"] });
    }

    // ---------------------------------------------------------------- admin API

    // POST v1/users/lookup {"email","searchUnsynched"}: 200 user, 400, 403, 404, 415, 500 [DOC RSA-KB ta-p/623072].
    // User fields as in pydplus examples/responses/api_response_post_userDetails_200.json [CODE]; 404 body
    // {"code":"404 NOT_FOUND","description":"User x not found"} [CODE pydplus examples].
    private async Task Lookup(HttpContext ctx)
    {
        if (!await Authorized(ctx)) return;
        if (!(ctx.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        { await Error(ctx, 415, "415 UNSUPPORTED_MEDIA_TYPE", "Content type not supported"); return; }
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string email = HttpJson.Str(body, "email");
        if (string.IsNullOrEmpty(email)) { await Error(ctx, 400, "400 BAD_REQUEST", "Wrong number of properties in the request body."); return; }
        JsonObject user;
        lock (_gate) user = _users.TryGetValue(email, out var u) ? UserJson(u) : null;
        await (user == null ? Error(ctx, 404, "404 NOT_FOUND", $"User {email} not found") : HttpJson.Write(ctx, 200, user));
    }

    // PUT v1/users/{id}/userStatus {"userStatus":"Enabled"|"Disabled"} -> {"id","userStatus"}; 200,400,403,404,409,429,500
    // [DOC RSA community article 0f6807d1 "Cloud Administration Update User Status API"].
    private async Task UserStatus(HttpContext ctx)
    {
        if (!await Authorized(ctx)) return;
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string status = HttpJson.Str(body, "userStatus");
        if (status != "Enabled" && status != "Disabled") { await Error(ctx, 400, "400 BAD_REQUEST", "userStatus must be Enabled or Disabled."); return; }
        JsonObject reply = null;
        lock (_gate)
        {
            var u = ById(HttpJson.Route(ctx, "id"));
            if (u != null) { u.Enabled = status == "Enabled"; reply = new JsonObject { ["id"] = u.Id, ["userStatus"] = status }; }
        }
        await (reply == null ? UserNotFound(ctx) : HttpJson.Write(ctx, 200, reply));
    }

    // PATCH v1/users/{id}/methods {"unlockMethods":["TOKEN","VOICE","SMS"]} -> the status of all methods; 200,400,403,404,429,500
    // [DOC RSA-KB ta-p/623079]. The reply's field names are [INF] (the user object's is*Locked flags).
    private async Task Unlock(HttpContext ctx)
    {
        if (!await Authorized(ctx)) return;
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        if (body?["unlockMethods"] is not JsonArray methods || methods.Count == 0)
        { await Error(ctx, 400, "400 BAD_REQUEST", "unlockMethods is required."); return; }
        var names = methods.Select(m => m?.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : null).ToList();
        if (names.Any(n => n != "TOKEN" && n != "SMS" && n != "VOICE"))
        { await Error(ctx, 400, "400 BAD_REQUEST", "unlockMethods may contain TOKEN, VOICE and SMS."); return; }
        JsonObject reply = null;
        lock (_gate)
        {
            var u = ById(HttpJson.Route(ctx, "id"));
            if (u != null)
            {
                if (names.Contains("TOKEN")) { u.TokenLocked = false; u.WrongCodes = 0; }
                if (names.Contains("SMS")) u.SmsLocked = false;
                if (names.Contains("VOICE")) u.VoiceLocked = false;
                reply = new JsonObject { ["isTokenLocked"] = u.TokenLocked, ["isSmsLocked"] = u.SmsLocked, ["isVoiceLocked"] = u.VoiceLocked };
            }
        }
        await (reply == null ? UserNotFound(ctx) : HttpJson.Write(ctx, 200, reply));
    }

    // GET v2/users/{id}/devices -> {devices[],fidoTokens[],sidTokens[]}; 200,400,403,404,500 [DOC RSA-KB ta-p/629247 (v2),
    // ta-p/623074 (v1)]. Entry fields from rsa-ingo entities/IDPlusAuthenticator.java [CODE]; tokenStatus values [INF].
    private async Task Devices(HttpContext ctx)
    {
        if (!await Authorized(ctx)) return;
        JsonObject reply = null;
        lock (_gate)
        {
            var u = ById(HttpJson.Route(ctx, "id"));
            if (u != null)
            {
                var devices = new JsonArray();
                if (u.AppDevice != null)
                    devices.Add(new JsonObject { ["id"] = u.AppDeviceId, ["name"] = u.AppDevice, ["userId"] = u.Id, ["deviceType"] = "MOBILE", ["registeredDate"] = "2025-03-01T09:00:00.000Z" });
                var tokens = new JsonArray();
                if (u.TokenSerial != null)
                    tokens.Add(new JsonObject
                    {
                        ["userId"] = u.Id, ["tokenSerialNumber"] = u.TokenSerial, ["tokenState"] = "Assigned",
                        ["tokenStatus"] = u.TokenDisabled ? "Disabled" : "Enabled", ["expiryDate"] = "2029-12-31T00:00:00.000Z", ["pinSet"] = "true",
                    });
                reply = new JsonObject { ["devices"] = devices, ["fidoTokens"] = new JsonArray(), ["sidTokens"] = tokens };
            }
        }
        await (reply == null ? UserNotFound(ctx) : HttpJson.Write(ctx, 200, reply));
    }

    // PUT v1/users/{id}/emergencyTokencode {"expirationDays":"1".."7"} -> {emergencyTokencodeId, emergencyTokencode,
    // expirationDate, offlineExpirationDate}; 200,400,404,429 [DOC RSA community article f9486b27]. The code's length
    // and alphabet are [INF].
    private async Task EmergencyCode(HttpContext ctx)
    {
        if (!await Authorized(ctx)) return;
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        long? days = HttpJson.Int(body, "expirationDays");
        if (days == null || days < 1 || days > 7) { await Error(ctx, 400, "400 BAD_REQUEST", "expirationDays must be 1 to 7."); return; }
        JsonObject reply = null;
        lock (_gate)
        {
            var u = ById(HttpJson.Route(ctx, "id"));
            if (u != null)
            {
                u.EmergencyCodeId = Guid.NewGuid().ToString();
                u.EmergencyCode = RandomNumberGenerator.GetInt32(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);
                u.EmergencyExpires = DateTime.UtcNow.AddDays(days.Value);
                _codesIssued++;
                reply = new JsonObject
                {
                    ["emergencyTokencodeId"] = u.EmergencyCodeId,
                    ["emergencyTokencode"] = u.EmergencyCode,
                    ["expirationDate"] = Iso(u.EmergencyExpires.Value),
                    ["offlineExpirationDate"] = Iso(u.EmergencyExpires.Value),
                };
            }
        }
        await (reply == null ? UserNotFound(ctx) : HttpJson.Write(ctx, 200, reply));
    }

    // ---------------------------------------------------------------- Authentication API

    // POST /authn/initialize {subjectName*, context{messageId}*, clientId, lang, authnAttemptTimeout, assurancePolicyId|
    // assuranceLevel|authMethodId, sessionAttributes, subjectCredentials, keepAttempt} -> {context{authnAttemptId,messageId,
    // inResponseTo}, attemptResponseCode, attemptReasonCode, credentialValidationResults, challengeMethods} [CODE rsa-ingo
    // docs/Initialize.md]. Header client-key [CODE rsa-ingo ApiClient.java; ForgeRock]. The 401 for a wrong key, the
    // reason codes, and how a locked, missing or disabled token is reported are [INF]; a locked token is offered with the
    // METHOD_NOT_APPLICABLE attribute ForgeRock checks for.
    private async Task Initialize(HttpContext ctx)
    {
        if (!await ClientKeyOk(ctx)) return;
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string subject = HttpJson.Str(body, "subjectName");
        string messageId = HttpJson.Str(body?["context"] as JsonObject, "messageId");
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(messageId)) { await AuthError(ctx, 400, "subjectName and context.messageId are required"); return; }
        string level = HttpJson.Str(body, "assuranceLevel");
        if (level != null && level != "LOW" && level != "MEDIUM" && level != "HIGH") { await AuthError(ctx, 400, "assuranceLevel must be LOW, MEDIUM or HIGH"); return; }
        JsonObject reply;
        lock (_gate)
        {
            var attempt = new Attempt { Id = Guid.NewGuid().ToString(), UserEmail = subject, LastServerMessageId = Guid.NewGuid().ToString(), Expires = DateTime.UtcNow.AddSeconds(HttpJson.Int(body, "authnAttemptTimeout") ?? 180) };
            reply = Context(attempt, messageId);
            if (!_users.TryGetValue(subject, out var u)) { reply["attemptResponseCode"] = "FAIL"; reply["attemptReasonCode"] = "USER_NOT_FOUND"; }
            else if (!u.Enabled) { reply["attemptResponseCode"] = "FAIL"; reply["attemptReasonCode"] = "USER_DISABLED"; }
            else
            {
                var required = new JsonArray();
                if (u.TokenSerial != null && !u.TokenDisabled)
                    required.Add(Method("SECURID", "SecurID Token", "Enter your passcode", u.TokenLocked));
                if (u.AppDevice != null)
                    required.Add(Method("APPROVE", "Authenticate app", "Approve the notification on your device", false));
                if (required.Count == 0) { reply["attemptResponseCode"] = "FAIL"; reply["attemptReasonCode"] = "NO_AUTHENTICATORS"; }
                else
                {
                    reply["attemptResponseCode"] = "CHALLENGE";
                    reply["attemptReasonCode"] = "AUTHENTICATION_REQUIRED";
                    reply["challengeMethods"] = new JsonObject { ["challenges"] = new JsonArray(new JsonObject { ["methodSetId"] = "1", ["requiredMethods"] = required }) };
                    _attempts[attempt.Id] = attempt;
                }
            }
            reply["credentialValidationResults"] ??= new JsonArray();
        }
        await HttpJson.Write(ctx, 200, reply);
    }

    // POST /authn/verify {subjectCredentials[{methodId,versionId,collectedInputs[{name,value,dataType}]}], context{authnAttemptId,
    // messageId, inResponseTo}} [CODE rsa-ingo docs/Verify.md; ForgeRock sends collectedInputs name = methodId, dataType STRING].
    // A wrong code counts towards the lockout (--lockout-threshold style setting lockoutThreshold, default 3) [INF]; the
    // next-tokencode challenge mirrors what clients meet (github.com/stoken-dev/stoken/issues/6) [INF: its prompt text].
    private async Task Verify(HttpContext ctx)
    {
        if (!await ClientKeyOk(ctx)) return;
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        var context = body?["context"] as JsonObject;
        string attemptId = HttpJson.Str(context, "authnAttemptId");
        string messageId = HttpJson.Str(context, "messageId");
        string inResponseTo = HttpJson.Str(context, "inResponseTo");
        if (attemptId == null || messageId == null) { await AuthError(ctx, 400, "context.authnAttemptId and context.messageId are required"); return; }
        JsonObject reply;
        lock (_gate)
        {
            if (!_attempts.TryGetValue(attemptId, out var attempt) || attempt.Expires < DateTime.UtcNow) { reply = null; }
            else if (inResponseTo != attempt.LastServerMessageId) { reply = new JsonObject(); reply["error"] = "inResponseTo does not match the last message of the attempt"; }
            else
            {
                attempt.LastServerMessageId = Guid.NewGuid().ToString();
                reply = Context(attempt, messageId);
                var credential = (body["subjectCredentials"] as JsonArray)?.FirstOrDefault() as JsonObject;
                string method = HttpJson.Str(credential, "methodId");
                var input = (credential?["collectedInputs"] as JsonArray)?.FirstOrDefault() as JsonObject;
                string value = HttpJson.Str(input, "value");
                var u = _users[attempt.UserEmail];
                string code, reason = null;
                if (method != "SECURID" || value == null) { code = "FAIL"; reason = "INVALID_REQUEST"; }
                else if (u.TokenLocked) { code = "FAIL"; reason = "TOKEN_LOCKED"; }
                else if (HttpJson.FixedEquals(value, u.Tokencode))
                {
                    if (u.NextTokencodeMode && !attempt.AwaitingNextTokencode)
                    {
                        attempt.AwaitingNextTokencode = true;
                        code = "CHALLENGE";
                        reply["challengeMethods"] = new JsonObject { ["challenges"] = new JsonArray(new JsonObject
                        {
                            ["methodSetId"] = "1",
                            ["requiredMethods"] = new JsonArray(Method("SECURID", "SecurID Token", "Wait for the tokencode to change, then enter the new tokencode", false)),
                        }) };
                    }
                    else { code = "SUCCESS"; u.WrongCodes = 0; }
                }
                else
                {
                    code = "FAIL"; reason = "INVALID_CREDENTIAL";
                    if (_lockoutThreshold > 0 && ++u.WrongCodes >= _lockoutThreshold) u.TokenLocked = true;
                }
                reply["attemptResponseCode"] = code;
                reply["attemptReasonCode"] = code == "CHALLENGE" ? "AUTHENTICATION_REQUIRED" : code == "SUCCESS" ? "AUTHENTICATION_SUCCEEDED" : "AUTHENTICATION_FAILED";
                reply["credentialValidationResults"] = new JsonArray(new JsonObject
                {
                    ["methodId"] = method, ["methodResponseCode"] = code == "CHALLENGE" ? "SUCCESS" : code, ["methodReasonCode"] = reason, ["authnAttributes"] = new JsonArray(),
                });
                if (code != "CHALLENGE") _attempts.Remove(attempt.Id);
            }
        }
        if (reply == null) await AuthError(ctx, 404, "authentication attempt not found or expired");
        else if (reply.ContainsKey("error")) await AuthError(ctx, 400, (string)reply["error"]);
        else await HttpJson.Write(ctx, 200, reply);
    }

    // POST /authn/cancel {authnAttemptId, reason USER_ACTION|TIME_OUT, removeAttemptId} [CODE rsa-ingo docs/Cancel.md]; reply [INF].
    private async Task Cancel(HttpContext ctx)
    {
        if (!await ClientKeyOk(ctx)) return;
        var body = HttpJson.ParseObject(await HttpJson.ReadBody(ctx));
        string id = HttpJson.Str(body, "authnAttemptId");
        bool removed;
        lock (_gate) removed = id != null && _attempts.Remove(id);
        await HttpJson.Write(ctx, 200, new JsonObject { ["attemptResponseCode"] = removed ? "SUCCESS" : "FAIL" });
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    private static JsonObject Context(Attempt attempt, string inResponseTo) => new JsonObject
    {
        ["context"] = new JsonObject { ["authnAttemptId"] = attempt.Id, ["messageId"] = attempt.LastServerMessageId, ["inResponseTo"] = inResponseTo },
    };

    private static JsonObject Method(string id, string display, string prompt, bool notApplicable)
    {
        var attributes = new JsonArray();
        if (notApplicable) attributes.Add(new JsonObject { ["name"] = "METHOD_NOT_APPLICABLE", ["value"] = "true", ["dataType"] = "BOOLEAN" });
        return new JsonObject
        {
            ["methodId"] = id, ["displayName"] = display, ["priority"] = 1,
            ["versions"] = new JsonArray(new JsonObject
            {
                ["versionId"] = "1.0.0", ["valueRequired"] = id == "SECURID", ["referenceId"] = null, ["methodAttributes"] = attributes,
                ["prompt"] = new JsonObject { ["promptResourceId"] = id + ".PROMPT", ["defaultText"] = prompt, ["formatRegex"] = null, ["sensitive"] = true, ["minLength"] = 4, ["maxLength"] = 16 },
            }),
        };
    }

    private User ById(string id) => id == null ? null : _users.Values.FirstOrDefault(u => u.Id == id);

    private static JsonObject UserJson(User u) => new JsonObject
    {
        ["id"] = u.Id, ["emailAddress"] = u.Email, ["firstName"] = u.FirstName, ["lastName"] = u.LastName,
        ["creationDate"] = "2024-11-28T04:12:06.000Z", ["identitySource"] = "Lab Directory", ["userStatus"] = u.Enabled ? "Enabled" : "Disabled",
        ["highRiskUser"] = false, ["markDeleted"] = false,
        ["isTokenLocked"] = u.TokenLocked, ["isSmsLocked"] = u.SmsLocked, ["isVoiceLocked"] = u.VoiceLocked,
        ["isFingerprintLocked"] = false, ["isApproveLocked"] = false,
        ["lastSyncTime"] = "2025-06-01T00:00:00.000Z",
        ["emergencyAccessStatus"] = u.EmergencyCode != null && u.EmergencyExpires > DateTime.UtcNow ? "Enabled" : "Disabled",
        ["emergencyTokencodeId"] = u.EmergencyCodeId, ["emergencyTokencodeExpiration"] = u.EmergencyExpires is DateTime e ? Iso(e) : null,
        ["monthLastAuthenticated"] = "Jun 2025", ["principalUsername"] = u.Email.Split('@')[0], ["alternateUsername"] = null, ["primaryUniqueIdentifier"] = u.Email,
    };

    private static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Task UserNotFound(HttpContext ctx) => Error(ctx, 404, "404 NOT_FOUND", $"User {HttpJson.Route(ctx, "id")} not found");

    // {"code":"404 NOT_FOUND","description":...} for 400/404/500 [CODE pydplus examples/responses].
    private static Task Error(HttpContext ctx, int status, string code, string description) =>
        HttpJson.Write(ctx, status, new JsonObject { ["code"] = code, ["description"] = description });

    private static Task AuthError(HttpContext ctx, int status, string message) =>
        HttpJson.Write(ctx, status, new JsonObject { ["message"] = message });

    private static Task OAuthError(HttpContext ctx, int status, string error, string description) =>
        HttpJson.Write(ctx, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    private static string StatusName(int status) => status switch
    {
        429 => "TOO_MANY_REQUESTS", 500 => "INTERNAL_SERVER_ERROR", 502 => "BAD_GATEWAY", 503 => "SERVICE_UNAVAILABLE", 504 => "GATEWAY_TIMEOUT",
        400 => "BAD_REQUEST", 403 => "FORBIDDEN", 404 => "NOT_FOUND", _ => "ERROR",
    };

    private async Task<bool> ClientKeyOk(HttpContext ctx)
    {
        if (HttpJson.FixedEquals(ctx.Request.Headers["client-key"], _clientKey)) return true;
        await AuthError(ctx, 401, "missing or invalid client-key");
        return false;
    }

    // Bearer = an OAuth access token from /oauth/token, or a JWT the client signed with its admin API key: header
    // {"typ":"JWT","alg":"RS256"} (anything else 403), sub = access id, aud = the admin REST URL (the doc's example has
    // no /v1 while the key file's URL has one, so both are accepted [INF]), exp at most iat + 1 h, 60 s skew [DOC auth].
    // Refusals get the Spring-style 403 [CODE pydplus examples].
    private async Task<bool> Authorized(HttpContext ctx)
    {
        string header = ctx.Request.Headers.Authorization;
        string token = header != null && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header.Substring(7).Trim() : null;
        bool ok = false;
        if (token != null)
        {
            lock (_gate)
            {
                if (_accessTokens.TryGetValue(token, out DateTime until)) ok = until > DateTime.UtcNow;
            }
            if (!ok && token.Count(c => c == '.') == 2)
            {
                var claims = CheckJwt(token, _adminKey, out _, maxLifeSec: 3600);
                string root = _lab.BaseUrl + AdminBase;
                ok = claims != null && HttpJson.Str(claims, "sub") == _accessId
                    && Audience(claims).Any(a => a.TrimEnd('/') == root || a.TrimEnd('/') == root + "/v1");
            }
        }
        if (ok) return true;
        lock (_gate) _jwtRejected++;
        await HttpJson.Write(ctx, 403, new JsonObject
        {
            ["timestamp"] = Iso(DateTime.UtcNow), ["status"] = 403, ["error"] = "Forbidden",
            ["message"] = "Server failed to process provided access token", ["path"] = ctx.Request.Path.Value,
        });
        return false;
    }

    private static IEnumerable<string> Audience(JsonObject claims)
    {
        var aud = claims["aud"];
        if (aud is JsonArray many) return many.Select(a => a?.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null).Where(a => a != null).ToList();
        string one = HttpJson.Str(claims, "aud");
        return one == null ? Array.Empty<string>() : new[] { one };
    }

    /// <summary>The claims of a valid RS256 JWT signed by <paramref name="key"/>, or null with the reason.</summary>
    private static JsonObject CheckJwt(string jwt, RSA key, out string why, int maxLifeSec)
    {
        why = null;
        string[] parts = (jwt ?? "").Split('.');
        if (parts.Length != 3) { why = "not a compact JWT"; return null; }
        JsonObject header, claims;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(FromBase64Url(parts[0]))) as JsonObject;
            claims = JsonNode.Parse(Encoding.UTF8.GetString(FromBase64Url(parts[1]))) as JsonObject;
            signature = FromBase64Url(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException || ex is JsonException) { why = "undecodable JWT"; return null; }
        if (header == null || claims == null) { why = "undecodable JWT"; return null; }
        if (HttpJson.Str(header, "alg") != "RS256") { why = "alg must be RS256"; return null; }
        string typ = HttpJson.Str(header, "typ");
        if (typ != null && typ != "JWT") { why = "typ must be JWT"; return null; }
        if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        { why = "bad signature"; return null; }
        long? iat = HttpJson.Int(claims, "iat"), exp = HttpJson.Int(claims, "exp");
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (iat == null || exp == null) { why = "iat and exp are required"; return null; }
        if (exp - iat > maxLifeSec) { why = $"exp may be at most {maxLifeSec} s after iat"; return null; }
        if (now > exp + SkewSec) { why = "expired"; return null; }
        if (iat > now + SkewSec) { why = "issued in the future"; return null; }
        return claims;
    }

    private static byte[] FromBase64Url(string s)
    {
        string b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b + new string('=', (4 - b.Length % 4) % 4));
    }
}
