using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.ConnectSecure;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureSignInTests
    {
        private const string Welcome = "/dana-na/auth/url_default/welcome.cgi";
        private const string Login = "/dana-na/auth/url_default/login.cgi";
        private const string UserPassword = "Us3r-Pa55word!";
        private const string Dsid = "0123456789abcdef0123456789abcdef";

        private const string SelectPage = "<html><body><form name=\"frmLogin\" method=\"post\" action=\"login.cgi\">"
            + "<input type=\"hidden\" name=\"tz_offset\" value=\"\"/>"
            + "<input type=\"text\" name=\"username\"/><input type=\"password\" name=\"password\"/>"
            + "<select name=\"realm\"><option value=\"Users\">Users</option><option value=\"Contractors\">Contractors</option></select>"
            + "<input type=\"submit\" name=\"btnSubmit\" value=\"Sign In\"/></form></body></html>";

        private static ScriptedAnswer Redirect(string location, params string[] cookies) => (request, token) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Found) { Content = new StringContent(string.Empty) };
            response.Headers.Location = new Uri(location, UriKind.Relative);
            foreach (string cookie in cookies)
            {
                response.Headers.TryAddWithoutValidation("Set-Cookie", cookie);
            }

            return Task.FromResult(response);
        };

        private static ScriptedHttpHandler SignInPage(string page, ScriptedAnswer login) => Appliance()
            .On(Get, Welcome, Answers.Text(200, "text/html", page))
            .On(Post, Login, login)
            .On(Get, "/dana-na/auth/logout.cgi", Redirect(Welcome + "?p=logout"));

        [Fact]
        public async Task SignsInWithTheFormAndSignsTheSessionOutAgain()
        {
            var handler = SignInPage(SelectPage, Redirect("/dana/home/starter0.cgi?check=yes", $"DSID={Dsid}; path=/; secure", "DSFirstAccess=1; path=/"));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSignInResult result = await appliance.SignInAsync("jsmith", Secrets.Secure(UserPassword), CancellationToken.None);

                Assert.Equal(VpnSignInOutcome.SignedIn, result.Outcome);
                Assert.Contains("in realm 'Users'", result.Evidence, StringComparison.Ordinal);
                Assert.Contains("signed out again", result.Evidence, StringComparison.Ordinal);
                Assert.DoesNotContain(UserPassword, result.Evidence, StringComparison.Ordinal);
                Assert.DoesNotContain(Dsid, result.Evidence, StringComparison.Ordinal);

                RecordedRequest post = handler.RequestsTo(Post, Login).Single();
                Assert.Equal("application/x-www-form-urlencoded", post.ContentType);
                Assert.Equal("username=jsmith&password=" + Uri.EscapeDataString(UserPassword) + "&tz_offset=&btnSubmit=Sign+In&realm=Users", post.Body);
                Assert.Null(post.Authorization);
                RecordedRequest logout = handler.RequestsTo(Get, "/dana-na/auth/logout.cgi").Single();
                Assert.Equal("DSID=" + Dsid, logout.Header("Cookie"));
                Assert.Null(logout.Authorization);
            }
        }

        [Theory]
        [InlineData("failed", VpnSignInOutcome.Refused)]
        [InlineData("account%2Dlocked%2Dout", VpnSignInOutcome.LockedOut)]
        [InlineData("too%2Dmany", VpnSignInOutcome.NoFreeSession)]
        [InlineData("user%2Dconfirm&id=state_1234", VpnSignInOutcome.SignedInElsewhere)]
        [InlineData("something-new", VpnSignInOutcome.Unexpected)]
        public async Task ReadsTheRefusalFromTheRedirect(string p, VpnSignInOutcome expected)
        {
            var handler = SignInPage(SelectPage, Redirect(Welcome + "?p=" + p));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSignInResult result = await appliance.SignInAsync("jsmith", Secrets.Secure(UserPassword), CancellationToken.None);

                Assert.Equal(expected, result.Outcome);
                Assert.DoesNotContain(UserPassword, result.Evidence, StringComparison.Ordinal);
                Assert.Empty(handler.RequestsTo(Get, "/dana-na/auth/logout.cgi"));
            }
        }

        [Theory]
        [InlineData("<form name=\"frmChangePassword\" method=\"post\" action=\"login.cgi\"><input type=\"password\" name=\"oldPassword\"/></form>")]
        [InlineData("<form name=\"frmNewPwd\" method=\"post\" action=\"login.cgi\"><input type=\"password\" name=\"newPassword1\"/></form>")]
        public async Task APageAskingForANewPasswordIsAPasswordChangeNotARefusal(string page)
        {
            var handler = SignInPage(SelectPage, Answers.Text(200, "text/html", "<html><body><p>Your password has expired.</p>" + page + "</body></html>"));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSignInResult result = await appliance.SignInAsync("jsmith", Secrets.Secure(UserPassword), CancellationToken.None);

                Assert.Equal(VpnSignInOutcome.PasswordChangeRequired, result.Outcome);
                Assert.Contains("password-change form", result.Evidence, StringComparison.Ordinal);
                Assert.DoesNotContain(UserPassword, result.Evidence, StringComparison.Ordinal);
                Assert.Single(handler.RequestsTo(Post, Login));
                Assert.Empty(handler.RequestsTo(Get, "/dana-na/auth/logout.cgi"));
            }
        }

        [Fact]
        public async Task TheSignInFormAgainIsNotAPasswordChange()
        {
            var handler = SignInPage(SelectPage, Answers.Text(200, "text/html", SelectPage));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSignInResult result = await appliance.SignInAsync("jsmith", Secrets.Secure(UserPassword), CancellationToken.None);

                Assert.Equal(VpnSignInOutcome.Unexpected, result.Outcome);
            }
        }

        [Theory]
        [InlineData("<p class=\"cssSmallError\">You do not have permission to login. Please contact your administrator.</p>")]
        [InlineData("<p>No roles are available for jsmith.</p>")]
        [InlineData("<div>The user has not been mapped to any role.</div>")]
        public async Task APageSayingTheUserHasNoRoleIsNoAccessNotARefusal(string message)
        {
            var handler = SignInPage(SelectPage, Answers.Text(200, "text/html", "<html><body>" + message + "</body></html>"));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSignInResult result = await appliance.SignInAsync("jsmith", Secrets.Secure(UserPassword), CancellationToken.None);

                Assert.Equal(VpnSignInOutcome.NoRoleMapped, result.Outcome);
                Assert.Contains("map the user to no role", result.Evidence, StringComparison.Ordinal);
                Assert.DoesNotContain(UserPassword, result.Evidence, StringComparison.Ordinal);
                Assert.Empty(handler.RequestsTo(Get, "/dana-na/auth/logout.cgi"));
            }
        }

        [Fact]
        public async Task TheSignInFormWithANoRoleMessageIsNotANoRolePage()
        {
            string page = SelectPage.Replace("<form", "<p>You do not have permission to login.</p><form", StringComparison.Ordinal);
            var handler = SignInPage(SelectPage, Answers.Text(200, "text/html", page));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSignInResult result = await appliance.SignInAsync("jsmith", Secrets.Secure(UserPassword), CancellationToken.None);

                Assert.Equal(VpnSignInOutcome.Unexpected, result.Outcome);
            }
        }

        [Fact]
        public async Task TakesTheRealmTheSignInUrlFixesInAHiddenField()
        {
            string page = "<form name='frmLogin' method='post' action='/dana-na/auth/url_default/login.cgi'>"
                + "<input type='text' name='username'><input type='password' name='password'>"
                + "<input type='hidden' name='realm' value='Staff &amp; Partners'><input type='submit' name='btnSubmit' value='Sign In'></form>";
            var handler = SignInPage(page, Redirect(Welcome + "?p=failed"));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSignInResult result = await appliance.SignInAsync("jsmith", Secrets.Secure(UserPassword), CancellationToken.None);

                Assert.Contains("in realm 'Staff & Partners'", result.Evidence, StringComparison.Ordinal);
                Assert.EndsWith("&realm=Staff+%26+Partners&btnSubmit=Sign+In", handler.RequestsTo(Post, Login).Single().Body, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task SendsNothingWhenThePageDoesNotOfferTheRealm()
        {
            var handler = SignInPage(SelectPage.Replace(">Users<", ">Staff<").Replace("\"Users\"", "\"Staff\""), Redirect(Welcome + "?p=failed"));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSignInResult result = await appliance.SignInAsync("jsmith", Secrets.Secure(UserPassword), CancellationToken.None);

                Assert.Equal(VpnSignInOutcome.RealmNotOffered, result.Outcome);
                Assert.Contains("'Staff', 'Contractors', not 'Users'", result.Evidence, StringComparison.Ordinal);
                Assert.Empty(handler.RequestsTo(Post, Login));
            }
        }

        [Fact]
        public async Task APageWithoutTheSignInFormIsReportedNotGuessed()
        {
            var handler = SignInPage("<html><body>Maintenance</body></html>", Redirect(Welcome + "?p=failed"));
            using (var appliance = await OpenAsync(handler))
            {
                VpnSignInResult result = await appliance.SignInAsync("jsmith", Secrets.Secure(UserPassword), CancellationToken.None);

                Assert.Equal(VpnSignInOutcome.Unexpected, result.Outcome);
                Assert.Contains("without the frmLogin sign-in form", result.Evidence, StringComparison.Ordinal);
                Assert.Empty(handler.RequestsTo(Post, Login));
            }
        }

        [Theory]
        [InlineData("dana-na/auth/url_default/")]
        [InlineData("/dana-na/auth/url_default")]
        [InlineData("/a/../b/")]
        [InlineData("/x?y=1/")]
        public async Task RefusesASignInUrlThatIsNotAPlainPathBeforeConnecting(string url)
        {
            var handler = Appliance();
            var error = await Assert.ThrowsAsync<ArgumentException>(() => ConnectSecureAppliance.OpenAsync(
                new ConnectSecureOptions { BaseAddress = new Uri("https://" + Address), UserName = "rest-admin", Password = Secrets.Secure(AdminPassword), Handler = handler, SignInUrl = url },
                CancellationToken.None));

            Assert.Contains("is not a sign-in URL path", error.Message, StringComparison.Ordinal);
            Assert.Empty(handler.Requests);
        }
    }
}
