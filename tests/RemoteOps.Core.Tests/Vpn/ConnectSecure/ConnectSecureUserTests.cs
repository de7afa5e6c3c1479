using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureUserTests
    {
        private const string SessionsOfJo = "/api/v1/system/active-users?number=200&start=0&name=jo.bloggs";

        [Fact]
        public async Task ListsTheLocalUsersOfTheConfiguredAuthServer()
        {
            var handler = Appliance().On(Get, UsersPath, Answers.Json(200, new JObject { ["user"] = new JArray(User("jo.bloggs"), User("ann.other", enabled: false)) }));
            using (var appliance = await OpenAsync(handler))
            {
                var users = await appliance.GetUsersAsync(CancellationToken.None);

                Assert.Equal(new[] { "jo.bloggs", "ann.other" }, users.Select(u => u.UserName));
                Assert.Equal(new[] { true, false }, users.Select(u => u.Enabled));
                Assert.Equal("Full jo.bloggs", users[0].FullName);
                Assert.All(users, u => Assert.Equal("ConnectSecure", u.Driver));
            }
        }

        [Fact]
        public async Task FindsOneUserAndAnswersNullFor404()
        {
            var handler = Appliance()
                .On(Get, UserPath("jo.bloggs"), Answers.Json(200, User("jo.bloggs")))
                .On(Get, UserPath("nobody"), Answers.Status(404));
            using (var appliance = await OpenAsync(handler))
            {
                Assert.Equal("jo.bloggs", (await appliance.FindUserAsync("jo.bloggs", CancellationToken.None)).UserName);
                Assert.Null(await appliance.FindUserAsync("nobody", CancellationToken.None));
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task CreatesAUserWithTheDocumentedBodyOfStrings()
        {
            var handler = Appliance()
                .On(Post, UsersPath + "/user/", Answers.Status(201));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.CreateUserAsync(new VpnUserRequest { UserName = "jo.bloggs", FullName = "Jo Bloggs", Password = Secrets.Secure("N3w-pass!"), ChangePasswordAtSignIn = true }, CancellationToken.None);

                JObject body = handler.RequestsTo(Post, UsersPath + "/user/").Single().Json;
                Assert.Equal("jo.bloggs", (string)body["username"]);
                Assert.Equal("Jo Bloggs", (string)body["fullname"]);
                Assert.Equal("N3w-pass!", (string)body["password-cleartext"]);
                Assert.Equal(JTokenType.String, body["enabled"].Type);
                Assert.Equal("true", (string)body["enabled"]);
                Assert.Equal("true", (string)body["change-password-at-signin"]);
            }
        }

        [Fact]
        public async Task DisablingPutsEnabledFalseAndThenEndsTheUsersSessions()
        {
            var handler = Appliance()
                .On(Put, UserPath("jo.bloggs") + "/enabled", Answers.Json(200, "{}"))
                .On(Get, SessionsOfJo, Answers.Json(200, ActiveUsersPage(new JArray(ActiveUser("sid-1", "jo.bloggs"), ActiveUser("sid-2", "jo.bloggs")), 2, isLast: true)))
                .On(Delete, "/api/v1/system/active-users/session/sid-1", Answers.Status(204))
                .On(Delete, "/api/v1/system/active-users/session/sid-2", Answers.Status(204));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.SetUserEnabledAsync("jo.bloggs", false, CancellationToken.None);

                Assert.Equal("false", (string)handler.RequestsTo(Put, UserPath("jo.bloggs") + "/enabled").Single().Json["enabled"]);
                Assert.Single(handler.RequestsTo(Delete, "/api/v1/system/active-users/session/sid-1"));
                Assert.Single(handler.RequestsTo(Delete, "/api/v1/system/active-users/session/sid-2"));
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task EnablingLeavesSessionsAlone()
        {
            var handler = Appliance().On(Put, UserPath("jo.bloggs") + "/enabled", Answers.Json(200, "{}"));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.SetUserEnabledAsync("jo.bloggs", true, CancellationToken.None);

                Assert.Equal("true", (string)handler.RequestsTo(Put, UserPath("jo.bloggs") + "/enabled").Single().Json["enabled"]);
                Assert.Empty(handler.RequestsTo(Get, "/api/v1/system/active-users"));
            }
        }

        [Fact]
        public async Task SetsThePasswordWithTheChangeAtSignInFlag()
        {
            var handler = Appliance().On(Put, UserPath("jo.bloggs") + "/password-cleartext", Answers.Json(200, "{}"));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.SetUserPasswordAsync("jo.bloggs", Secrets.Secure("An0ther-pass"), false, CancellationToken.None);

                JObject body = handler.RequestsTo(Put, UserPath("jo.bloggs") + "/password-cleartext").Single().Json;
                Assert.Equal("An0ther-pass", (string)body["password-cleartext"]);
                Assert.Equal("false", (string)body["change-password-at-signin"]);
            }
        }

        [Fact]
        public async Task UserGroupsAreRefusedBecauseRolesComeFromRealmRules()
        {
            var handler = Appliance();
            using (var appliance = await OpenAsync(handler))
            {
                int sent = handler.Requests.Count;

                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("jo.bloggs", new[] { "Users" }, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
                Assert.Contains("jo.bloggs", error.Message);
                Assert.Equal(sent, handler.Requests.Count);
            }
        }

        [Fact]
        public async Task ChecksThatARealmExists()
        {
            var handler = Appliance()
                .On(Get, "/api/v1/configuration/users/user-realms/realm/Users", Answers.Json(200, "{\"name\":\"Users\"}"))
                .On(Get, "/api/v1/configuration/users/user-realms/realm/No%20Such%20Realm", Answers.Status(404));
            using (var appliance = await OpenAsync(handler))
            {
                Assert.True(await appliance.GroupExistsAsync("Users", CancellationToken.None));
                Assert.False(await appliance.GroupExistsAsync("No Such Realm", CancellationToken.None));
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task RemovesTheUserBeforeEndingItsSessions()
        {
            var handler = Appliance()
                .On(Delete, UserPath("jo.bloggs"), Answers.Status(204))
                .On(Get, SessionsOfJo, Answers.Json(200, ActiveUsersPage(new JArray(ActiveUser("sid-1", "jo.bloggs")), 1, isLast: true)))
                .On(Delete, "/api/v1/system/active-users/session/sid-1", Answers.Status(204));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.RemoveUserAsync("jo.bloggs", CancellationToken.None);

                var order = handler.Requests.Where(r => r.Method == Delete).Select(r => r.Path).ToList();
                Assert.Equal(new[] { UserPath("jo.bloggs"), "/api/v1/system/active-users/session/sid-1" }, order);
            }
        }

        [Fact]
        public async Task AUserStillReferencedIsNotRemovedAndKeepsItsSessions()
        {
            var handler = Appliance()
                .On(Delete, UserPath("jo.bloggs"), Answers.Json(422, "{\"result\":{\"errors\":[{\"message\":\"User jo.bloggs is referenced by role mapping rule 'Staff'\"}]}}"));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.RemoveUserAsync("jo.bloggs", CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.InUse, error.Kind);
                Assert.Contains("role mapping rule 'Staff'", error.Message);
                Assert.Empty(handler.RequestsTo(Get, "/api/v1/system/active-users"));
            }
        }

        [Fact]
        public async Task RemovingAUserThatIsAlreadyGoneIsNotAnError()
        {
            var handler = Appliance()
                .On(Delete, UserPath("jo.bloggs"), Answers.Status(404))
                .On(Get, SessionsOfJo, Answers.Json(200, ActiveUsersPage(new JArray(), 0, isLast: true)));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.RemoveUserAsync("jo.bloggs", CancellationToken.None);

                Assert.Empty(handler.Unrouted);
            }
        }
    }
}
