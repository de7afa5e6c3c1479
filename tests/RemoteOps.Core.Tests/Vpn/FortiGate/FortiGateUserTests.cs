using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.FortiGate.ScriptedFortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    public sealed class FortiGateUserTests
    {
        [Fact]
        public async Task ListsLocalUsersWithTheGroupsThatListThemAsMembers()
        {
            var handler = Appliance()
                .On(Get, UsersPath, Answers.Json(200, Envelope(new JArray(User("jo.bloggs"), User("ann.other", enabled: false)))))
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray(Group("SSLVPN_Users", "jo.bloggs", "ann.other"), Group("Admins", "jo.bloggs")))));
            using (var appliance = await OpenAsync(handler))
            {
                var users = await appliance.GetUsersAsync(CancellationToken.None);

                Assert.Equal(new[] { "jo.bloggs", "ann.other" }, users.Select(u => u.UserName));
                Assert.Equal(new[] { true, false }, users.Select(u => u.Enabled));
                Assert.Equal(new[] { "SSLVPN_Users", "Admins" }, users[0].Groups);
                Assert.Equal(new[] { "SSLVPN_Users" }, users[1].Groups);
            }
        }

        [Fact]
        public async Task FindsOneUserAndAnswersNullFor404()
        {
            var handler = Appliance()
                .On(Get, UserPath("jo.bloggs"), Answers.Json(200, Envelope(new JArray(User("jo.bloggs")))))
                .On(Get, UserPath("nobody"), Answers.Json(404, "{\"status\":\"error\",\"http_status\":404}"))
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray())));
            using (var appliance = await OpenAsync(handler))
            {
                Assert.Equal("jo.bloggs", (await appliance.FindUserAsync("jo.bloggs", CancellationToken.None)).UserName);
                Assert.Null(await appliance.FindUserAsync("nobody", CancellationToken.None));
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task CreatesAPasswordUserAndAddsItToItsGroups()
        {
            var handler = Appliance()
                .On(Post, UsersPath, Answers.Json(200, Envelope(new JObject())))
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray(Group("SSLVPN_Users", "ann.other"), Group("Admins")))))
                .On(Put, GroupPath("SSLVPN_Users"), Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.CreateUserAsync(new VpnUserRequest { UserName = "jo.bloggs", Password = Secrets.Secure("N3w-pass!"), Enabled = false, Groups = new[] { "SSLVPN_Users" } }, CancellationToken.None);

                JObject body = handler.RequestsTo(Post, UsersPath).Single().Json;
                Assert.Equal("jo.bloggs", (string)body["name"]);
                Assert.Equal("password", (string)body["type"]);
                Assert.Equal("N3w-pass!", (string)body["passwd"]);
                Assert.Equal("disable", (string)body["status"]);
                JObject members = handler.RequestsTo(Put, GroupPath("SSLVPN_Users")).Single().Json;
                Assert.Equal(new[] { "ann.other", "jo.bloggs" }, members["member"].Select(m => (string)m["name"]));
                Assert.Empty(handler.RequestsTo(Put, GroupPath("Admins")));
            }
        }

        [Fact]
        public async Task ChangeAtSignInIsRefusedBeforeAnythingIsSent()
        {
            var handler = Appliance();
            using (var appliance = await OpenAsync(handler))
            {
                int sent = handler.Requests.Count;

                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "jo.bloggs", Password = Secrets.Secure("N3w-pass!"), ChangePasswordAtSignIn = true }, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
                Assert.Equal(sent, handler.Requests.Count);
            }
        }

        [Fact]
        public async Task DisablingSetsTheStatusAndEndsOnlyThatUsersSessions()
        {
            var handler = Appliance()
                .On(Put, UserPath("jo.bloggs"), Answers.Json(200, Envelope(new JObject())))
                .On(Get, SessionsPath, Answers.Json(200, Envelope(new JArray(Session(3, "jo.bloggs"), Session(4, "ann.other")))))
                .On(Post, KickPath, Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.SetUserEnabledAsync("jo.bloggs", false, CancellationToken.None);

                Assert.Equal("disable", (string)handler.RequestsTo(Put, UserPath("jo.bloggs")).Single().Json["status"]);
                Assert.Equal(new[] { 3 }, handler.RequestsTo(Post, KickPath).Select(r => (int)r.Json["index"]));
            }
        }

        [Fact]
        public async Task SetsThePasswordWithPutPasswdBeforeFortiOs74()
        {
            var handler = Appliance("v7.2.8").On(Put, UserPath("jo.bloggs"), Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.SetUserPasswordAsync("jo.bloggs", Secrets.Secure("An0ther-pass"), false, CancellationToken.None);

                JObject body = handler.RequestsTo(Put, UserPath("jo.bloggs")).Single().Json;
                Assert.Equal("An0ther-pass", (string)body["passwd"]);
                Assert.Single(body.Properties());
            }
        }

        [Fact]
        public async Task ReplacesGroupsByRewritingOnlyTheMemberListsThatChange()
        {
            var handler = Appliance()
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray(Group("Old", "jo.bloggs", "ann.other"), Group("Kept", "jo.bloggs"), Group("New")))))
                .On(Put, GroupPath("Old"), Answers.Json(200, Envelope(new JObject())))
                .On(Put, GroupPath("New"), Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.SetUserGroupsAsync("jo.bloggs", new[] { "Kept", "New" }, CancellationToken.None);

                Assert.Equal(new[] { "ann.other" }, handler.RequestsTo(Put, GroupPath("Old")).Single().Json["member"].Select(m => (string)m["name"]));
                Assert.Equal(new[] { "jo.bloggs" }, handler.RequestsTo(Put, GroupPath("New")).Single().Json["member"].Select(m => (string)m["name"]));
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task AnUnknownGroupChangesNoGroupAtAll()
        {
            var handler = Appliance()
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray(Group("Old", "jo.bloggs")))));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("jo.bloggs", new[] { "Typo" }, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.NotFound, error.Kind);
                Assert.Contains("Typo", error.Message);
                Assert.DoesNotContain(handler.Requests, r => r.Method == Put);
            }
        }

        [Fact]
        public async Task RemovesTheUserAfterEndingItsSessionsAndTakingItOutOfItsGroups()
        {
            var handler = Appliance()
                .On(Get, SessionsPath, Answers.Json(200, Envelope(new JArray(Session(3, "jo.bloggs")))))
                .On(Post, KickPath, Answers.Json(200, Envelope(new JObject())))
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray(Group("SSLVPN_Users", "jo.bloggs")))))
                .On(Put, GroupPath("SSLVPN_Users"), Answers.Json(200, Envelope(new JObject())))
                .On(Delete, UserPath("jo.bloggs"), Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.RemoveUserAsync("jo.bloggs", CancellationToken.None);

                var writes = handler.Requests.Where(r => r.Method != Get).Select(r => r.Method + " " + r.Path).ToList();
                Assert.Equal(new[] { "POST " + KickPath, "PUT " + GroupPath("SSLVPN_Users"), "DELETE " + UserPath("jo.bloggs") }, writes);
                Assert.Empty(handler.RequestsTo(Put, GroupPath("SSLVPN_Users")).Single().Json["member"]);
            }
        }

        [Fact]
        public async Task RemovingAUserThatIsAlreadyGoneIsNotAnError()
        {
            var handler = Appliance()
                .On(Get, SessionsPath, Answers.Json(200, Envelope(new JArray())))
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray())))
                .On(Delete, UserPath("jo.bloggs"), Answers.Json(404, "{\"status\":\"error\",\"http_status\":404}"));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.RemoveUserAsync("jo.bloggs", CancellationToken.None);

                Assert.Empty(handler.Unrouted);
            }
        }


        [Theory]
        [InlineData("v7.4.0")]
        [InlineData("v7.4.4")]
        [InlineData("v7.6.3")]
        public async Task SetsThePasswordWithTheChangePasswordEndpointFromFortiOs74(string version)
        {
            const string changePassword = "/api/v2/monitor/user/local/change-password";
            var handler = Appliance(version).On(Post, changePassword, Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.SetUserPasswordAsync("jo.bloggs", Secrets.Secure("An0ther-pass"), false, CancellationToken.None);

                JObject body = handler.RequestsTo(Post, changePassword).Single().Json;
                Assert.Equal("jo.bloggs", (string)body["username"]);
                Assert.Equal("An0ther-pass", (string)body["new_password"]);
                Assert.Empty(handler.RequestsTo(Put, UserPath("jo.bloggs")));
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task AnUnreadableVersionKeepsToPutPasswd()
        {
            var handler = Appliance("unknown").On(Put, UserPath("jo.bloggs"), Answers.Json(200, Envelope(new JObject())));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.SetUserPasswordAsync("jo.bloggs", Secrets.Secure("An0ther-pass"), false, CancellationToken.None);

                Assert.Single(handler.RequestsTo(Put, UserPath("jo.bloggs")));
            }
        }
    }
}
