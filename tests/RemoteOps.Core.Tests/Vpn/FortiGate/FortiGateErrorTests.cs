using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.FortiGate.ScriptedFortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    public sealed class FortiGateErrorTests
    {
        [Fact]
        public async Task AnEntryInUseIsInUseAndSaysSoInWords()
        {
            var handler = Appliance()
                .On(Get, SessionsPath, Answers.Json(200, Envelope(new JArray())))
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray())))
                .On(Delete, UserPath("jo.bloggs"), Answers.Json(500, ErrorEnvelope(500, -23)));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.RemoveUserAsync("jo.bloggs", CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.InUse, error.Kind);
                Assert.Contains("Removing user 'jo.bloggs'", error.Message);
                Assert.Contains("still in use", error.Message);
                Assert.Contains("-23", error.Message);
            }
        }

        [Fact]
        public async Task ADuplicateEntryIsAlreadyExistsAndSaysSoInWords()
        {
            var handler = Appliance()
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray(Group("SSLVPN_Users")))))
                .On(Put, GroupPath("SSLVPN_Users"), Answers.Json(424, ErrorEnvelope(424, -5)));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("jo.bloggs", new[] { "SSLVPN_Users" }, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.AlreadyExists, error.Kind);
                Assert.Contains("Updating the members of group 'SSLVPN_Users'", error.Message);
                Assert.Contains("already exists", error.Message);
                Assert.Contains("-5", error.Message);
            }
        }

        [Fact]
        public async Task AnAdminLockoutIsWaitedOutAsRetryAfterSaysThenReportedBusy()
        {
            var handler = Appliance().On(Get, UsersPath, Answers.RetryAfter(429, 0));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetUsersAsync(CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.Busy, error.Kind);
                Assert.Equal(FastRetry.MaxAttempts, handler.RequestsTo(Get, UsersPath).Count);
            }
        }

        [Fact]
        public async Task ABusyApplianceIsAskedAgainAndTheAnswerUsed()
        {
            var handler = Appliance()
                .On(Get, UsersPath, Answers.Status(503), Answers.Json(200, Envelope(new JArray(User("jo.bloggs")))))
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray())));
            using (var appliance = await OpenAsync(handler))
            {
                Assert.Single(await appliance.GetUsersAsync(CancellationToken.None));
                Assert.Equal(2, handler.RequestsTo(Get, UsersPath).Count);
            }
        }

        [Fact]
        public async Task NeitherTheTokenNorAUserPasswordReachesTheErrorText()
        {
            const string userPassword = "Us3r-S3cret";
            var handler = Appliance("v7.2.8").On(Put, UserPath("jo.bloggs"),
                Answers.Json(500, "{\"status\":\"error\",\"http_status\":500,\"error\":-1,\"cli_error\":\"passwd " + userPassword + " rejected for token " + Token + "\"}"));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("jo.bloggs", Secrets.Secure(userPassword), false, CancellationToken.None));

                string text = error.ToString() + error.Remedy;
                Assert.Contains("rejected", text);
                Assert.DoesNotContain(userPassword, text);
                Assert.DoesNotContain(Token, text);
            }
        }

        [Fact]
        public async Task AUserPasswordIsRedactedFromItsOwnRequestAndThenForgotten()
        {
            const string first = "F1rst-Us3r-S3cret";
            const string second = "S3cond-Us3r-S3cret";
            var handler = Appliance("v7.2.8")
                .On(Put, UserPath("jo.bloggs"), Answers.Json(500, "{\"status\":\"error\",\"http_status\":500,\"error\":-1,\"cli_error\":\"passwd " + first + " rejected\"}"))
                .On(Put, UserPath("mo.bloggs"), Answers.Json(500, "{\"status\":\"error\",\"http_status\":500,\"error\":-1,\"cli_error\":\"passwd " + second + " rejected\"}"));
            using (var appliance = await OpenAsync(handler))
            {
                int connectionSecrets = appliance.Client.SecretCount;

                var one = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("jo.bloggs", Secrets.Secure(first), false, CancellationToken.None));
                var two = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("mo.bloggs", Secrets.Secure(second), false, CancellationToken.None));

                Assert.DoesNotContain(first, one.Message);
                Assert.DoesNotContain(second, two.Message);
                Assert.Contains("rejected", two.Message);

                // The token stays for the life of the connection; each user's password went with its request.
                Assert.Equal(connectionSecrets, appliance.Client.SecretCount);
            }
        }
    }
}
