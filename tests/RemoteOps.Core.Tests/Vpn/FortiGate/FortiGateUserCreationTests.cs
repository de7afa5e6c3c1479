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
    /// <summary>A create whose answer is lost may have taken effect: it is repeated only when the user is absent.</summary>
    public sealed class FortiGateUserCreationTests
    {
        private const string CreatePath = UsersPath;

        [Fact]
        public async Task AnAnswerLostAfterTheUserWasStoredIsNotSentAgainAndCountsAsCreated()
        {
            bool stored = false;
            var handler = Appliance()
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray())))
                .On(Post, CreatePath, Answers.DropAfterProcessing(_ => stored = true), Answers.Json(200, Envelope(new JObject())))
                .On(Get, UserPath("jo.bloggs"), Answers.From(_ => stored ? Answers.Json(200, Envelope(new JArray(User("jo.bloggs")))) : Answers.Json(404, NotFound)));
            using (var appliance = await OpenAsync(handler))
            {
                VpnUserChange change = await VpnUserOperations.EnsureAsync(appliance, Request(), false, new GroupCheck(), CancellationToken.None);

                Assert.Equal(VpnUserOutcome.Created, change.Outcome);
                Assert.Single(handler.RequestsTo(Post, CreatePath));
            }
        }

        [Fact]
        public async Task AnAnswerLostBeforeTheUserWasStoredIsSentOnceMore()
        {
            bool stored = false;
            var handler = Appliance()
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray())))
                .On(Post, CreatePath, Answers.DropBeforeProcessing(), Answers.Processing(_ => stored = true, Answers.Json(200, Envelope(new JObject()))))
                .On(Get, UserPath("jo.bloggs"), Answers.From(_ => stored ? Answers.Json(200, Envelope(new JArray(User("jo.bloggs")))) : Answers.Json(404, NotFound)));
            using (var appliance = await OpenAsync(handler))
            {
                VpnUserChange change = await VpnUserOperations.EnsureAsync(appliance, Request(), false, new GroupCheck(), CancellationToken.None);

                Assert.Equal(VpnUserOutcome.Created, change.Outcome);
                Assert.Equal(2, handler.RequestsTo(Post, CreatePath).Count);
                Assert.True(stored);
            }
        }

        [Fact]
        public async Task AUserCreatedBySomeoneElseIsAConflictNotThisRunsCreation()
        {
            var handler = Appliance()
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray())))
                .On(Post, CreatePath, Answers.Json(424, ErrorEnvelope(424, -5)))
                .On(Get, UserPath("jo.bloggs"), Answers.Json(200, Envelope(new JArray(User("jo.bloggs")))));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(Request(), CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.AlreadyExists, error.Kind);
                Assert.Contains("someone else", error.Message);
                Assert.Single(handler.RequestsTo(Post, CreatePath));
            }
        }

        [Fact]
        public async Task ARefusedCreateIsReportedWithTheAppliancesReasonAndWithoutThePassword()
        {
            var handler = Appliance()
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray())))
                // -651: an input value is invalid.
                .On(Post, CreatePath, Answers.Json(500, "{\"status\":\"error\",\"http_status\":500,\"error\":-651,\"cli_error\":\"passwd N3w-pass! does not meet the password policy\"}"))
                .On(Get, UserPath("jo.bloggs"), Answers.Json(404, NotFound));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(Request(), CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
                Assert.Contains("FortiOS error -651", error.Message);
                Assert.Contains("does not meet the password policy", error.Message);
                Assert.DoesNotContain("N3w-pass!", error.ToString());
            }
        }

        private const string NotFound = "{\"status\":\"error\",\"http_status\":404}";

        private static VpnUserRequest Request() => new VpnUserRequest { UserName = "jo.bloggs", Password = Secrets.Secure("N3w-pass!") };
    }
}
