using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureLoginTests
    {
        [Fact]
        public async Task LogsInThroughRealmAuthAndSendsTheApiKeyAsTheBasicUser()
        {
            var handler = Appliance();
            using (var appliance = await OpenAsync(handler))
            {
                RecordedRequest login = handler.Requests[0];
                Assert.Equal("POST /api/v1/realm_auth", login.ToString());
                Assert.Equal("rest-admin", login.BasicUser);
                Assert.Equal(AdminPassword, login.BasicPassword);
                Assert.Equal("Admin Users", (string)login.Json["realm"]);
                Assert.Equal("application/json", login.ContentType);

                RecordedRequest information = handler.Requests[1];
                Assert.Equal("GET /api/v1/system/system-information", information.ToString());
                Assert.Equal(ApiKey, information.BasicUser);
                Assert.Equal(string.Empty, information.BasicPassword);

                Assert.Equal("ics-a", appliance.Info.Name);
                Assert.Equal("Connect Secure 22.7R2.3 (build 3431)", appliance.Info.Version);
                Assert.Equal(Address, appliance.Info.Address);
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task FallsBackToTheLegacyLoginWhereRealmAuthIsUnknown()
        {
            var handler = Appliance()
                .On(Post, "/api/v1/realm_auth", Answers.Status(404))
                .On(Get, "/api/v1/auth", Answers.Json(200, new JObject { ["api_key"] = "legacy-key" }));
            using (await OpenAsync(handler))
            {
                Assert.Equal("rest-admin", handler.RequestsTo(Get, "/api/v1/auth").Single().BasicUser);
                Assert.Equal("legacy-key", handler.RequestsTo(Get, "/api/v1/system/system-information").Single().BasicUser);
            }
        }

        [Fact]
        public async Task LogsInAgainWhenTheApiKeyExpiresAndRepeatsTheRequestWithTheNewKey()
        {
            var handler = Appliance();
            using (var appliance = await OpenAsync(handler))
            {
                handler
                    .On(Post, "/api/v1/realm_auth", Answers.Json(200, new JObject { ["api_key"] = "api-key-second" }))
                    .On(Get, UsersPath, Answers.From(request => request.BasicUser == ApiKey
                        ? Answers.Status(401)
                        : Answers.Json(200, new JObject { ["user"] = new JArray(User("jo.bloggs")) })));

                var users = await appliance.GetUsersAsync(CancellationToken.None);

                Assert.Equal("jo.bloggs", users.Single().UserName);
                Assert.Equal(2, handler.RequestsTo(Post, "/api/v1/realm_auth").Count);
                Assert.Equal(new[] { ApiKey, "api-key-second" }, handler.RequestsTo(Get, UsersPath).Select(r => r.BasicUser));
            }
        }

        [Fact]
        public async Task ARefusedLoginIsAnAuthenticationFailureThatNamesTheRealmButNotThePassword()
        {
            var handler = Appliance().On(Post, "/api/v1/realm_auth", Answers.Json(401, "{\"result\":{\"errors\":[{\"message\":\"Invalid credentials for rest-admin/" + AdminPassword + "\"}]}}"));

            var error = await Assert.ThrowsAsync<ApplianceException>(() => OpenAsync(handler));

            Assert.Equal(ApplianceErrorKind.AuthenticationFailed, error.Kind);
            Assert.Contains("'Admin Users'", error.Message);
            Assert.Contains("rest-admin", error.Message);
            Assert.DoesNotContain(AdminPassword, error.ToString());
            Assert.Single(handler.RequestsTo(Post, "/api/v1/realm_auth"));
        }

        [Fact]
        public async Task ALoginAnswerWithoutAnApiKeyIsAFailureNotASilentAnonymousSession()
        {
            var handler = Appliance().On(Post, "/api/v1/realm_auth", Answers.Json(200, "{}"));

            var error = await Assert.ThrowsAsync<ApplianceException>(() => OpenAsync(handler));

            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("api_key", error.Message);
        }

        [Fact]
        public async Task DisconnectingForgetsTheApiKeyAndSendsNothingForWantOfADocumentedLogout()
        {
            var handler = Appliance();
            var appliance = await OpenAsync(handler);
            Assert.True(appliance.Client.IsLoggedIn);
            int sent = handler.Requests.Count;

            appliance.Dispose();

            Assert.False(appliance.Client.IsLoggedIn);
            Assert.Equal(0, appliance.Client.SecretCount);
            Assert.Equal(sent, handler.Requests.Count);
        }
    }
}
