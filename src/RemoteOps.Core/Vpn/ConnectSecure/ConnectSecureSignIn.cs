using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Vpn.ConnectSecure
{
    /// <summary>
    /// A user's sign-in to Connect Secure through its web sign-in page, as a browser or the
    /// openconnect client (protocol nc) makes it: GET welcome.cgi of the sign-in URL, POST its
    /// frmLogin form (username, password, realm) to login.cgi, and read the redirect: a DSID
    /// session cookie means signed in (the session is signed out again at once through
    /// logout.cgi); welcome.cgi?p=... names the refusal. Ivanti documents no REST route for a
    /// user's sign-in. Sources: the openconnect client's auth-juniper.c (form and button names,
    /// the realm select, DSID) and public sign-in scripts that read the p= values (failed,
    /// account-locked-out, too-many, user-confirm); see docs/drivers.md. Unverified against a
    /// real appliance: the page a customised sign-in policy serves may differ.
    /// </summary>
    internal static class ConnectSecureSignIn
    {
        private const string LogoutPath = "/dana-na/auth/logout.cgi";
        private static readonly Regex LoginForm = new Regex(@"<form\b(?<attributes>[^>]*\bname\s*=\s*[""']frmLogin[""'][^>]*)>(?<body>.*?)</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        private static readonly Regex Input = new Regex(@"<input\b(?<attributes>[^>]*)>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        private static readonly Regex RealmSelect = new Regex(@"<select\b[^>]*\bname\s*=\s*[""']realm[""'][^>]*>(?<options>.*?)</select>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        private static readonly Regex Option = new Regex(@"<option\b(?<attributes>[^>]*)>(?<label>[^<]*)", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        private static readonly Regex Attribute = new Regex(@"\b(?<name>[a-zA-Z-]+)\s*=\s*(?:""(?<value>[^""]*)""|'(?<value>[^']*)'|(?<value>[^\s""'>/]+))", RegexOptions.CultureInvariant);
        private static readonly Regex AnyForm = new Regex(@"<form\b(?<attributes>[^>]*)>(?<body>.*?)</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        private static readonly Regex PasswordChangeName = new Regex(@"change.?pass|pass(word)?.?(change|expir)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex NewPasswordField = new Regex(@"^new.?pass", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex NoRoleText = new Regex(@"do(es)? not have permission to log\s?in|no roles?\b|not (been )?(mapped|assigned) to any role", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex SafeSignInUrl = new Regex(@"^/[A-Za-z0-9._~/-]*/$", RegexOptions.CultureInvariant);

        /// <summary>Refuses a sign-in URL that is not a plain path ending in "/".</summary>
        internal static void ValidateSignInUrl(string signInUrl)
        {
            if (signInUrl == null || !SafeSignInUrl.IsMatch(signInUrl) || signInUrl.Contains("/../") || signInUrl.Contains("//"))
            {
                throw new ArgumentException($"'{signInUrl}' is not a sign-in URL path: give the path of the sign-in policy's URL, such as /dana-na/auth/url_default/ (starting and ending with /).");
            }
        }

        /// <summary>Signs the user in and out again, and classifies the answer.</summary>
        internal static async Task<VpnSignInResult> SignInAsync(RestClient client, ConnectSecureOptions options, string userName, SecureString password, CancellationToken cancellationToken)
        {
            string welcome = options.SignInUrl + "welcome.cgi";
            RestResponse page = await SendAsync(() => client.SendRawAsync(HttpMethod.Get, welcome, null, null, cancellationToken), client, welcome, cancellationToken).ConfigureAwait(false);
            Match form = LoginForm.Match(page.Text);
            if (!page.IsSuccess || !form.Success)
            {
                return new VpnSignInResult(VpnSignInOutcome.Unexpected,
                    $"GET {welcome} answered HTTP {page.Code}{(form.Success ? string.Empty : " without the frmLogin sign-in form")}; check the driver setting SignInUrl.");
            }

            var fields = new List<KeyValuePair<string, string>>();
            string realm = null;
            foreach (Match input in Input.Matches(form.Groups["body"].Value))
            {
                Dictionary<string, string> attributes = Attributes(input.Groups["attributes"].Value);
                string type = Value(attributes, "type")?.ToLowerInvariant();
                string name = Value(attributes, "name");
                if (name == null)
                {
                    continue;
                }

                if (type == "hidden")
                {
                    fields.Add(new KeyValuePair<string, string>(name, Value(attributes, "value") ?? string.Empty));
                    realm = name == "realm" ? Value(attributes, "value") : realm;
                }
                else if (type == "submit" && name == "btnSubmit")
                {
                    fields.Add(new KeyValuePair<string, string>(name, Value(attributes, "value") ?? "Sign In"));
                }
            }

            Match select = RealmSelect.Match(form.Groups["body"].Value);
            if (realm == null && select.Success)
            {
                var offered = Option.Matches(select.Groups["options"].Value).Cast<Match>()
                    .Select(o => new { Value = Value(Attributes(o.Groups["attributes"].Value), "value") ?? o.Groups["label"].Value.Trim(), Label = o.Groups["label"].Value.Trim() })
                    .ToList();
                var chosen = offered.FirstOrDefault(o => string.Equals(o.Label, options.SignInRealm, StringComparison.OrdinalIgnoreCase) || string.Equals(o.Value, options.SignInRealm, StringComparison.OrdinalIgnoreCase));
                if (chosen == null)
                {
                    return new VpnSignInResult(VpnSignInOutcome.RealmNotOffered,
                        $"The sign-in page {welcome} offers the realms {string.Join(", ", offered.Select(o => "'" + o.Label + "'"))}, not '{options.SignInRealm}'; set the driver setting SignInRealm.");
                }

                realm = chosen.Label;
                fields.Add(new KeyValuePair<string, string>("realm", chosen.Value));
            }

            string action = Value(Attributes(form.Groups["attributes"].Value), "action") ?? "login.cgi";
            Uri target = new Uri(new Uri(client.BaseAddress, welcome), action);
            if (!string.Equals(target.Authority, client.BaseAddress.Authority, StringComparison.OrdinalIgnoreCase) || target.Scheme != Uri.UriSchemeHttps)
            {
                return new VpnSignInResult(VpnSignInOutcome.Unexpected, $"The sign-in form of {welcome} posts to another address ({target.GetLeftPart(UriPartial.Authority)}); nothing was sent there.");
            }

            fields.Insert(0, new KeyValuePair<string, string>("username", userName));
            fields.Insert(1, new KeyValuePair<string, string>("password", SecretText.Reveal(password)));
            string post = target.AbsolutePath;
            string tried = $"POST {post} as {userName}{(realm == null ? string.Empty : $" in realm '{realm}'")}";
            RestResponse answer = await SendAsync(() => client.SendFormRawAsync(post, fields, cancellationToken), client, post, cancellationToken).ConfigureAwait(false);

            string dsid = Cookie(answer.Header("Set-Cookie"), "DSID");
            if (!string.IsNullOrEmpty(dsid))
            {
                string signedOut = await SignOutAsync(client, dsid, cancellationToken).ConfigureAwait(false);
                return new VpnSignInResult(VpnSignInOutcome.SignedIn, $"{tried}: signed in (a DSID session cookie came back); {signedOut}.");
            }

            if (answer.IsSuccess && IsPasswordChangePage(answer.Text))
            {
                // Nothing was opened: the session starts only once a new password is posted,
                // which RemoteOps never does on the user's behalf.
                return new VpnSignInResult(VpnSignInOutcome.PasswordChangeRequired,
                    $"{tried}: HTTP {answer.Code} with a password-change form (the password was accepted, but the appliance demands a new one before it opens a session: the password expired or must be changed at sign-in); no session was opened and nothing more was sent.");
            }

            if (answer.IsSuccess && IsNoRolePage(answer.Text))
            {
                return new VpnSignInResult(VpnSignInOutcome.NoRoleMapped,
                    $"{tried}: HTTP {answer.Code} with a page saying the user may not sign in (the password was accepted, but the role-mapping rules of the realm map the user to no role); no session was opened.");
            }

            string location = answer.Header("Location");
            string p = PageParameter(location);
            string answered = location == null ? $"HTTP {answer.Code} without a redirect" : $"redirected to {Path.GetFileName(new Uri(new Uri(client.BaseAddress, post), location).AbsolutePath)}{(p == null ? string.Empty : "?p=" + p)}";
            switch (p)
            {
                case "failed":
                    return new VpnSignInResult(VpnSignInOutcome.Refused, $"{tried}: {answered} (the appliance refused the user name or password).");
                case "account-locked-out":
                    return new VpnSignInResult(VpnSignInOutcome.LockedOut, $"{tried}: {answered} (the account is locked out).");
                case "too-many":
                    return new VpnSignInResult(VpnSignInOutcome.NoFreeSession, $"{tried}: {answered} (the maximum number of users are signed in).");
                case "user-confirm":
                    return new VpnSignInResult(VpnSignInOutcome.SignedInElsewhere, $"{tried}: {answered} (the password was accepted; the appliance asks whether to end the user's other sessions, and RemoteOps did not continue).");
                default:
                    return new VpnSignInResult(VpnSignInOutcome.Unexpected, $"{tried}: {answered}, an answer RemoteOps does not know.");
            }
        }

        private static async Task<string> SignOutAsync(RestClient client, string dsid, CancellationToken cancellationToken)
        {
            try
            {
                RestResponse answer = await client.SendRawAsync(HttpMethod.Get, LogoutPath, null, null, cancellationToken,
                    new Dictionary<string, string> { ["Cookie"] = "DSID=" + dsid }).ConfigureAwait(false);
                return answer.Code < 400 ? $"signed out again (GET {LogoutPath})" : $"signing out answered HTTP {answer.Code}: the session ends with its idle time-out";
            }
            catch (Exception error) when (RestClient.IsTransportFailure(error, cancellationToken))
            {
                return $"signing out failed ({error.GetType().Name}): the session ends with its idle time-out";
            }
        }

        private static async Task<RestResponse> SendAsync(Func<Task<RestResponse>> send, RestClient client, string path, CancellationToken cancellationToken)
        {
            try
            {
                return await send().ConfigureAwait(false);
            }
            catch (Exception error) when (RestClient.IsTransportFailure(error, cancellationToken))
            {
                string why = error is TaskCanceledException ? error.Message : error.GetBaseException().Message;
                throw new ApplianceException(ApplianceErrorKind.Unreachable, $"The sign-in page {path} on {client.BaseAddress} did not answer: {why}.", "Check that the appliance is up and reachable.", error);
            }
        }

        // After the password is checked, the realm's role-mapping rules compile the roles of the
        // session (Pulse Connect Secure Administration Guide, "Role Mapping Rules"; Ivanti Connect
        // Secure Administration Guide, "User Role Evaluation"). That a user mapped to no role is
        // refused there, and the page that says so, are unverified: no public document at hand
        // shows that page. Counted as such: a page without the sign-in form whose message says
        // the user has no permission to sign in or no role. A page that still carries the
        // sign-in form is a sign-in page, whatever its text.
        internal static bool IsNoRolePage(string html) =>
            !LoginForm.IsMatch(html ?? string.Empty) && NoRoleText.IsMatch(html ?? string.Empty);

        // A local user who must change the password at sign-in (the user's documented
        // change-password-at-signin flag) or whose password expired under the auth server's
        // password options is shown a page asking for a new password instead of a session. That
        // page is unverified against a real appliance and its form and field names are not
        // documented, so any form that asks for a new password counts: its name speaks of a
        // password change, or it has a password field whose name starts with "new".
        internal static bool IsPasswordChangePage(string html)
        {
            foreach (Match form in AnyForm.Matches(html ?? string.Empty))
            {
                string name = Value(Attributes(form.Groups["attributes"].Value), "name") ?? string.Empty;
                if (PasswordChangeName.IsMatch(name))
                {
                    return true;
                }

                foreach (Match input in Input.Matches(form.Groups["body"].Value))
                {
                    Dictionary<string, string> attributes = Attributes(input.Groups["attributes"].Value);
                    if (string.Equals(Value(attributes, "type"), "password", StringComparison.OrdinalIgnoreCase)
                        && NewPasswordField.IsMatch(Value(attributes, "name") ?? string.Empty))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static string PageParameter(string location)
        {
            int query = location?.IndexOf('?') ?? -1;
            if (query < 0)
            {
                return null;
            }

            foreach (string pair in location.Substring(query + 1).Split('&'))
            {
                if (pair.StartsWith("p=", StringComparison.Ordinal))
                {
                    return Uri.UnescapeDataString(pair.Substring(2));
                }
            }

            return null;
        }

        private static string Cookie(string setCookies, string name)
        {
            foreach (string line in (setCookies ?? string.Empty).Split('\n'))
            {
                string pair = line.Split(';')[0].Trim();
                if (pair.StartsWith(name + "=", StringComparison.Ordinal))
                {
                    return pair.Substring(name.Length + 1);
                }
            }

            return null;
        }

        private static Dictionary<string, string> Attributes(string text)
        {
            var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (Match attribute in Attribute.Matches(text))
            {
                attributes[attribute.Groups["name"].Value] = System.Net.WebUtility.HtmlDecode(attribute.Groups["value"].Value);
            }

            return attributes;
        }

        private static string Value(Dictionary<string, string> attributes, string name) => attributes.TryGetValue(name, out string value) ? value : null;
    }
}
