using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace RemoteOps.Lab.Emulators.Ics;

/// <summary>
/// The user-facing sign-in of Connect Secure: the HTML sign-in form at
/// /dana-na/auth/url_default/welcome.cgi, posted to login.cgi with username, password and realm,
/// answered by a redirect: to the user's start page with the DSID session cookie on success, or
/// back to welcome.cgi with ?p= naming why not. This is the web sign-in every browser and the
/// openconnect client (protocol nc) use; Ivanti documents no REST route for a user's sign-in.
///
/// Sources (evidence tags as in the class comment of IcsEmulator):
///   openconnect = github.com/openconnect/openconnect auth-juniper.c (the client: form names
///     frmLogin / frmConfirmation, the btnSubmit / btnContinue buttons, a select named "realm",
///     success = a DSID cookie, with DSFirstAccess and DSLastAccess beside it) and
///     tests/fake-juniper-server.py (GET / redirects to welcome.cgi; POST login.cgi; the DSID
///     cookie with a redirect to /dana/home/starter0.cgi; logout.cgi clears DSID) [CODE].
///   public scripts = several public sign-in scripts (their repositories are not named) that
///     read the redirect of login.cgi: welcome.cgi?p=failed (wrong user name or password),
///     ?p=account%2Dlocked%2Dout (locked account), ?p=too%2Dmany (no free session),
///     ?p=user%2Dconfirm (other sessions of the user: confirm to continue, with a
///     DSIDFormDataStr hidden field), and logout.cgi answered by welcome.cgi?p=logout [CODE].
/// Emulator choices [INF]: a disabled account gets p=failed like a wrong password (the page
/// does not tell a caller which); the lockout threshold and period (settings
/// signInLockoutAttempts, default 5, and signInLockoutSec, default 600); user-confirm when the
/// user already holds a session; the page text; the option values of the realm list (the realm
/// names); the DSID format. An expired password or change-password-at-signin is answered by the
/// password-change page of IcsEmulator.Accounts.cs (no session); a user the realm's role-mapping
/// rules map to no role by its no-role page (no session).
/// </summary>
internal sealed partial class IcsEmulator
{
    private const string SignInBase = "/dana-na/auth/url_default/";
    private const string StartPage = "/dana/home/starter0.cgi";

    private readonly Dictionary<string, (int failures, DateTime lockedUntil)> _signInFailures = new Dictionary<string, (int, DateTime)>(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string user, string realm)> _pendingConfirm = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _dsids = new Dictionary<string, string>(StringComparer.Ordinal);
    private int _lockoutAttempts = 5;
    private int _lockoutSec = 600;

    private void ResetSignIn()
    {
        _signInFailures.Clear();
        _pendingConfirm.Clear();
        _dsids.Clear();
        _lockoutAttempts = 5;
        _lockoutSec = 600;
    }

    private void MapSignIn(WebApplication app)
    {
        // GET / -> the default sign-in URL [CODE openconnect fake-juniper-server].
        app.MapGet("/", ctx => Redirect(ctx, SignInBase + "welcome.cgi"));
        app.MapGet(SignInBase + "welcome.cgi", Welcome);
        app.MapPost(SignInBase + "login.cgi", Login);
        app.MapGet("/dana-na/auth/logout.cgi", Logout);
        app.MapGet(StartPage, StartPageHandler);
    }

    private string RealmServer(string realm) =>
        realm == "Users" ? SystemLocal : realm == "Contractors" ? _opt.SecondAuthServer : null;

    private Task Welcome(HttpContext ctx)
    {
        string p = HttpJson.Query(ctx, "p");
        if (p == "user-confirm")
        {
            string id = HttpJson.Query(ctx, "id");
            lock (_gate)
            {
                if (id == null || !_pendingConfirm.ContainsKey(id)) return Redirect(ctx, SignInBase + "welcome.cgi");
            }
            return Html(ctx, 200, "<html><body>\n<form name=\"frmConfirmation\" method=\"post\" action=\"login.cgi\">\n"
                + "<p>There are already other user sessions in progress. Continuing will end them.</p>\n"
                + $"<input type=\"hidden\" name=\"FormDataStr\" id=\"DSIDFormDataStr\" value=\"{WebUtility.HtmlEncode(id)}\"/>\n"
                + "<input type=\"submit\" name=\"btnContinue\" value=\"Continue the session\"/>\n"
                + "<input type=\"submit\" name=\"btnCancel\" value=\"Cancel\"/>\n</form>\n</body></html>\n");
        }

        string message = p switch
        {
            "failed" => "Invalid username or password. Please re-enter your user information.",
            "account-locked-out" => "Your account is locked out. Please contact your administrator.",
            "too-many" => "The maximum number of users are already signed in. Please try again later.",
            "logout" => "Your session has ended.",
            _ => null,
        };
        var page = new StringBuilder("<html><body>\n");
        if (message != null) page.Append("<p class=\"cssSmallError\">").Append(message).Append("</p>\n");
        page.Append("<form name=\"frmLogin\" method=\"post\" action=\"login.cgi\" autocomplete=\"off\">\n")
            .Append("<input type=\"text\" name=\"username\" id=\"username\"/>\n")
            .Append("<input type=\"password\" name=\"password\" id=\"password\"/>\n")
            .Append("<select name=\"realm\" id=\"realm\">");
        foreach (string realm in UserRealms) page.Append("<option value=\"").Append(realm).Append("\">").Append(realm).Append("</option>");
        page.Append("</select>\n<input type=\"submit\" name=\"btnSubmit\" id=\"btnSubmit_6\" value=\"Sign In\"/>\n</form>\n</body></html>\n");
        return Html(ctx, 200, page.ToString());
    }

    private async Task Login(HttpContext ctx)
    {
        var form = QueryHelpers.ParseQuery(await HttpJson.ReadBody(ctx));
        string Field(string name) => form.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

        string user, realm;
        if (Field("btnContinue") != null)
        {
            lock (_gate)
            {
                string id = Field("FormDataStr") ?? "";
                if (!_pendingConfirm.Remove(id, out var pending)) { user = null; realm = null; }
                else
                {
                    (user, realm) = pending;
                    // Continuing ends the user's other sessions [CODE public scripts: the confirmation page].
                    foreach (var s in _sessions.Where(s => string.Equals(s.User, user, StringComparison.OrdinalIgnoreCase)).ToList())
                    {
                        _sessions.Remove(s);
                        _sessionsById.Remove(s.Id);
                    }
                }
            }
            if (user == null) { await Redirect(ctx, SignInBase + "welcome.cgi?p=failed"); return; }
            await SignedIn(ctx, user, realm);
            return;
        }

        user = Field("username");
        realm = Field("realm");
        string password = Field("password");
        string outcome;
        lock (_gate)
        {
            outcome = Authenticate(user, password, realm);
            if (outcome == "user-confirm")
            {
                string id = "state_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
                _pendingConfirm[id] = (user, realm);
                outcome += "&id=" + id;
            }
        }
        if (outcome == null) { await SignedIn(ctx, user, realm); return; }
        if (outcome == "password-change" || outcome == "password-expired") { await PasswordChangePage(ctx, user, outcome == "password-expired"); return; }
        if (outcome == "no-role") { await NoRolePage(ctx); return; }
        await Redirect(ctx, SignInBase + "welcome.cgi?p=" + outcome.Replace("-", "%2D", StringComparison.Ordinal));
    }

    /// <summary>null when the user may sign in; else the p= value of the refusal. Under _gate.</summary>
    private string Authenticate(string user, string password, string realm)
    {
        string server = realm == null ? null : RealmServer(realm);
        if (string.IsNullOrEmpty(user) || server == null) return "failed";
        DateTime now = DateTime.UtcNow;
        string key = server + "\n" + user;
        if (_signInFailures.TryGetValue(key, out var state) && state.lockedUntil > now) return "account-locked-out";
        if (!_servers[server].TryGetValue(user, out IcsUser u) || password == null || !HttpJson.FixedEquals(password, u.Password))
        {
            int failures = state.lockedUntil > DateTime.MinValue && state.lockedUntil <= now ? 1 : state.failures + 1;
            bool locked = u != null && failures >= _lockoutAttempts;
            _signInFailures[key] = (locked ? 0 : failures, locked ? now.AddSeconds(_lockoutSec) : DateTime.MinValue);
            return locked ? "account-locked-out" : "failed";
        }
        _signInFailures.Remove(key);
        if (!u.Enabled) return "failed";
        // The password was right: an expired one or the change-at-sign-in flag asks for a new one
        // before any session (IcsEmulator.Accounts.cs).
        if (PasswordChangeDemanded(u)) return u.ChangePasswordAtSignin ? "password-change" : "password-expired";
        // Then the realm's role-mapping rules give the session its roles; none, no session (IcsEmulator.Accounts.cs).
        if (RolesOf(user, realm).Count == 0) return "no-role";
        if (_sessions.Count >= _capacity) return "too-many";
        if (_sessions.Any(s => string.Equals(s.User, user, StringComparison.OrdinalIgnoreCase))) return "user-confirm";
        return null;
    }

    private Task SignedIn(HttpContext ctx, string user, string realm)
    {
        string dsid = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        lock (_gate)
        {
            int serial = ++_sessionSerial;
            var s = new IcsSession
            {
                Id = "sid" + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant() + "00000000",
                User = user,
                Realm = realm,
                Roles = realm,
                AuthServer = RealmServer(realm),
                Node = SeedNodes[(serial - 1) % SeedNodes.Length].name,
                NcIp = null,
                SourceIp = ctx.Connection.RemoteIpAddress?.ToString(),
                AgentType = "Browser",
                ClientVersion = null,
                SignIn = DateTime.UtcNow,
            };
            _sessions.Add(s);
            _sessionsById[s.Id] = s;
            _dsids[dsid] = s.Id;
        }
        string stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        ctx.Response.Headers.Append("Set-Cookie", $"DSID={dsid}; path=/; secure; HttpOnly");
        ctx.Response.Headers.Append("Set-Cookie", $"DSFirstAccess={stamp}; path=/; secure");
        ctx.Response.Headers.Append("Set-Cookie", $"DSLastAccess={stamp}; path=/; secure");
        return Redirect(ctx, StartPage + "?check=yes");
    }

    private string SessionOfCookie(HttpContext ctx)
    {
        string dsid = ctx.Request.Cookies["DSID"];
        lock (_gate) return dsid != null && _dsids.TryGetValue(dsid, out string id) && _sessionsById.ContainsKey(id) ? dsid : null;
    }

    private Task Logout(HttpContext ctx)
    {
        string dsid = SessionOfCookie(ctx);
        if (dsid != null)
        {
            lock (_gate)
            {
                if (_dsids.Remove(dsid, out string id) && _sessionsById.Remove(id, out var s)) _sessions.Remove(s);
            }
        }
        ctx.Response.Headers.Append("Set-Cookie", "DSID=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; secure");
        return Redirect(ctx, SignInBase + "welcome.cgi?p=logout");
    }

    private Task StartPageHandler(HttpContext ctx) =>
        SessionOfCookie(ctx) == null
            ? Redirect(ctx, SignInBase + "welcome.cgi")
            : Html(ctx, 200, "<html><body><p>Welcome to the lab Connect Secure.</p><a href=\"/dana-na/auth/logout.cgi\">Sign out</a></body></html>\n");

    private static Task Redirect(HttpContext ctx, string location)
    {
        ctx.Response.StatusCode = 302;
        ctx.Response.Headers.Location = location;
        return Task.CompletedTask;
    }

    private static Task Html(HttpContext ctx, int status, string text) => HttpJson.WriteText(ctx, status, "text/html; charset=utf-8", text);

    /// <summary>The sign-in settings of /_lab/settings; false when <paramref name="key"/> is not one. Under _gate.</summary>
    private bool SignInSetting(string key, System.Text.Json.Nodes.JsonObject changes, out string error)
    {
        error = null;
        switch (key)
        {
            case "signInLockoutAttempts":
                if (!HttpJson.IntInRange(changes, key, 1, 1000, out int n, out error)) return true;
                _lockoutAttempts = n;
                return true;
            case "signInLockoutSec":
                if (!HttpJson.IntInRange(changes, key, 1, 86400, out int s, out error)) return true;
                _lockoutSec = s;
                return true;
            default:
                return false;
        }
    }
}
