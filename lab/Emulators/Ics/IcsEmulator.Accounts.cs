using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace RemoteOps.Lab.Emulators.Ics;

/// <summary>
/// What decides whether a local user may use the VPN beyond the password: the local auth
/// server's password expiry, the user's change-password-at-signin flag, and the user realms'
/// role-mapping rules.
///
/// Sources (evidence tags as in the class comment of IcsEmulator):
///   admin guide = Ivanti Connect Secure / Pulse Connect Secure Administration Guide
///     (help.ivanti.com/ps/help/en_US/PCS/9.1R12/pcsag/pcs_adminguide/auth_realms.htm, "Authentication
///     Realms": a realm names an authentication server and role-mapping rules, the conditions a
///     user must meet to be mapped to roles [DOC]; "Role Mapping Rules": rules on the user name
///     with is / is not and *, evaluated in order, each match adds roles, "Stop processing rules
///     when this rule matches" [DOC]).
///   Go client = the public client of the local-users API: change-password-at-signin [CODE].
/// Unverified [INF]: the local auth server's password expiry ("force a password change after n
/// days") is modelled on what such servers commonly offer; no public Ivanti document of those
/// options was at hand.
/// Emulator choices [INF]: the REST shape of realms is the one IcsEmulator.GetRealm serves; the
/// password age is not part of the REST user object (no public document shows one); the
/// password-change page that answers login.cgi (HTTP 200, a form named frmChangePassword posting
/// oldPassword, newPassword and confirmPassword to login.cgi) is an emulator choice: its real
/// form and field names are not documented, and posting a new password there is not emulated.
/// The sign-in evaluates the realm's role-mapping rules once the password is accepted (the admin
/// guide's "Role Mapping Rules": the roles of the session are compiled from the rules the user
/// matches [DOC]); a user they map to no role gets no session and an HTTP 200 page without the
/// sign-in form saying "You do not have permission to login. Please contact your administrator."
/// Unverified [INF]: that a real appliance refuses such a user at sign-in, and that page and its
/// wording; no public document at hand shows them.
/// </summary>
internal sealed partial class IcsEmulator
{
    private sealed class IcsRealmRule
    {
        public string Name;
        public string[] UserNames, Roles;
        public bool Stop;
    }

    private int _passwordMaxAgeDays;
    private Dictionary<string, List<IcsRealmRule>> _realmRules;

    /// <summary>Every realm maps every user ("*") to the role of its own name; no password expiry. Under _gate.</summary>
    private void ResetAccountPolicies()
    {
        _passwordMaxAgeDays = 0;
        _realmRules = UserRealms.ToDictionary(r => r, r => new List<IcsRealmRule>
        {
            new IcsRealmRule { Name = "default", UserNames = new[] { "*" }, Roles = new[] { r }, Stop = false },
        }, StringComparer.Ordinal);
    }

    /// <summary>True when the sign-in must ask for a new password first. Under _gate.</summary>
    private bool PasswordChangeDemanded(IcsUser u) =>
        u.ChangePasswordAtSignin || (_passwordMaxAgeDays > 0 && u.PasswordSetAt.AddDays(_passwordMaxAgeDays) <= DateTime.UtcNow);

    private static Task PasswordChangePage(HttpContext ctx, string user, bool expired) =>
        Html(ctx, 200, "<html><body>\n"
            + $"<p class=\"cssSmallError\">{(expired ? "Your password has expired." : "You must change your password.")} Please enter a new password for {WebUtility.HtmlEncode(user)}.</p>\n"
            + "<form name=\"frmChangePassword\" method=\"post\" action=\"login.cgi\" autocomplete=\"off\">\n"
            + "<input type=\"password\" name=\"oldPassword\"/>\n"
            + "<input type=\"password\" name=\"newPassword\"/>\n"
            + "<input type=\"password\" name=\"confirmPassword\"/>\n"
            + "<input type=\"submit\" name=\"btnChangePassword\" value=\"Change Password\"/>\n</form>\n</body></html>\n");

    /// <summary>The roles the realm's rules give the user: rules in order, each match adds its roles, a matching "stop" rule ends the list. Under _gate.</summary>
    private List<string> RolesOf(string user, string realm)
    {
        var roles = new List<string>();
        if (!_realmRules.TryGetValue(realm, out var rules)) return roles;
        foreach (var rule in rules)
        {
            if (!rule.UserNames.Any(n => n == "*" || string.Equals(n, user, StringComparison.OrdinalIgnoreCase))) continue;
            roles.AddRange(rule.Roles.Where(r => !roles.Contains(r, StringComparer.Ordinal)));
            if (rule.Stop) break;
        }
        return roles;
    }

    private static Task NoRolePage(HttpContext ctx) =>
        Html(ctx, 200, "<html><body>\n<p class=\"cssSmallError\">You do not have permission to login. Please contact your administrator.</p>\n"
            + $"<a href=\"{SignInBase}welcome.cgi\">Sign In</a>\n</body></html>\n");

    private JsonObject RealmRulesJson()
    {
        var o = new JsonObject();
        foreach (var realm in _realmRules)
        {
            o[realm.Key] = new JsonArray(realm.Value.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["userNames"] = new JsonArray(r.UserNames.Select(n => (JsonNode)n).ToArray()),
                ["roles"] = new JsonArray(r.Roles.Select(n => (JsonNode)n).ToArray()),
                ["stop"] = r.Stop,
            }).ToArray());
        }
        return o;
    }

    /// <summary>
    /// The account settings of /_lab/settings; false when <paramref name="key"/> is not one. Under _gate.
    ///   passwordMaxAgeDays: the auth servers' "force password change after n days" (0 = off).
    ///   passwordAgeDays: {"user": days}: makes the user's password that many days old.
    ///   realmRules: {"Users": [{"name", "userNames": [...], "roles": [...], "stop": bool}]}: replaces the realm's rules.
    /// </summary>
    private bool AccountSetting(string key, JsonObject changes, out string error)
    {
        error = null;
        switch (key)
        {
            case "passwordMaxAgeDays":
                if (!HttpJson.IntInRange(changes, key, 0, 3650, out int days, out error)) return true;
                _passwordMaxAgeDays = days;
                return true;
            case "passwordAgeDays":
                if (changes[key] is not JsonObject ages) { error = "passwordAgeDays must be an object {user: days}"; return true; }
                foreach (var age in ages)
                {
                    long? d = HttpJson.Int(ages, age.Key);
                    IcsUser u = _servers.Values.Select(users => users.TryGetValue(age.Key, out var x) ? x : null).FirstOrDefault(x => x != null);
                    if (u == null || d == null || d < 0 || d > 36500) { error = $"passwordAgeDays: unknown user '{age.Key}' or bad age"; return true; }
                    u.PasswordSetAt = DateTime.UtcNow.AddDays(-d.Value);
                }
                return true;
            case "realmRules":
                if (changes[key] is not JsonObject realms) { error = "realmRules must be an object {realm: [rules]}"; return true; }
                foreach (var realm in realms)
                {
                    if (!_realmRules.ContainsKey(realm.Key) || realm.Value is not JsonArray list) { error = $"realmRules: unknown realm '{realm.Key}' or rules not a list"; return true; }
                    var rules = new List<IcsRealmRule>();
                    foreach (var item in list)
                    {
                        if (item is not JsonObject r || HttpJson.Str(r, "name") == null) { error = "realmRules: every rule needs a name"; return true; }
                        rules.Add(new IcsRealmRule
                        {
                            Name = HttpJson.Str(r, "name"),
                            UserNames = (r["userNames"] as JsonArray ?? new JsonArray()).Select(n => n?.ToString()).Where(n => n != null).ToArray(),
                            Roles = (r["roles"] as JsonArray ?? new JsonArray()).Select(n => n?.ToString()).Where(n => n != null).ToArray(),
                            Stop = HttpJson.Bool(r, "stop") ?? false,
                        });
                    }
                    _realmRules[realm.Key] = rules;
                }
                return true;
            default:
                return false;
        }
    }
}
