using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn.ConnectSecure;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureErrorTests
    {
        [Theory]
        [InlineData(400, ApplianceErrorKind.InvalidRequest)]
        [InlineData(403, ApplianceErrorKind.AuthenticationFailed)]
        [InlineData(404, ApplianceErrorKind.NotFound)]
        [InlineData(422, ApplianceErrorKind.InUse)]
        [InlineData(500, ApplianceErrorKind.Failed)]
        public async Task MapsTheStatusAndQuotesTheResultErrors(int status, ApplianceErrorKind kind)
        {
            var handler = Appliance().On(Put, UserPath("jo.bloggs") + "/enabled",
                Answers.Json(status, "{\"result\":{\"errors\":[{\"message\":\"First problem\"},{\"message\":\"Second problem\"}]}}"));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserEnabledAsync("jo.bloggs", true, CancellationToken.None));

                Assert.Equal(kind, error.Kind);
                Assert.Contains("Enabling user 'jo.bloggs' failed on https://" + Address, error.Message);
                Assert.Contains("HTTP " + status, error.Message);
                Assert.Contains("First problem; Second problem", error.Message);
            }
        }

        [Fact]
        public async Task NeitherTheAdminPasswordNorTheApiKeyNorAUserPasswordReachesTheErrorText()
        {
            const string userPassword = "Us3r-S3cret";
            var handler = Appliance().On(Put, UserPath("jo.bloggs") + "/password-cleartext",
                Answers.Json(400, "{\"result\":{\"errors\":[{\"message\":\"Rejected " + userPassword + " for key " + ApiKey + " by " + AdminPassword + "\"}]}}"));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("jo.bloggs", Secrets.Secure(userPassword), false, CancellationToken.None));

                string text = error.ToString() + error.Remedy;
                Assert.Contains("Rejected", text);
                Assert.DoesNotContain(userPassword, text);
                Assert.DoesNotContain(ApiKey, text);
                Assert.DoesNotContain(AdminPassword, text);
            }
        }

        [Fact]
        public async Task AConnectionThatKeepsDroppingIsUnreachableAfterTheRetries()
        {
            var handler = Appliance().On(Get, UsersPath, Answers.DropBeforeProcessing());
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetUsersAsync(CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
                Assert.Contains("after 4 attempt(s)", error.Message);
                Assert.Equal(FastRetry.MaxAttempts, handler.RequestsTo(Get, UsersPath).Count);
            }
        }

        [Fact]
        public async Task ARequestThatGetsNoAnswerInTimeIsUnreachable()
        {
            var handler = Appliance().On(Get, UsersPath, Answers.Delayed(TimeSpan.FromSeconds(30), Answers.Json(200, "{\"user\":[]}")));
            var options = new ConnectSecureOptions
            {
                BaseAddress = new Uri("https://" + Address),
                UserName = "rest-admin",
                Password = Secrets.Secure(AdminPassword),
                Retry = new RestRetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1) },
                RequestTimeout = TimeSpan.FromMilliseconds(200),
                Handler = handler,
            };
            using (var appliance = await ConnectSecureAppliance.OpenAsync(options, CancellationToken.None))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetUsersAsync(CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
                Assert.Contains("no answer in time", error.Message);
            }
        }

        [Fact]
        public async Task ACreatedUsersPasswordIsRedactedFromTheRefusalAndNotKeptByTheConnection()
        {
            const string userPassword = "N3w-Us3r-S3cret";
            var handler = Appliance()
                .On(Get, UserPath("jo.bloggs"), Answers.Status(404))
                .On(Post, UsersPath + "/user/", Answers.Json(400, "{\"result\":{\"errors\":[{\"message\":\"Password " + userPassword + " is too weak\"}]}}"));
            using (var appliance = await OpenAsync(handler))
            {
                int connectionSecrets = appliance.Client.SecretCount;
                var request = new RemoteOps.Core.Vpn.VpnUserRequest { UserName = "jo.bloggs", Password = Secrets.Secure(userPassword) };

                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(request, CancellationToken.None));

                Assert.Contains("too weak", error.Message);
                Assert.DoesNotContain(userPassword, error.Message);
                Assert.Equal(connectionSecrets, appliance.Client.SecretCount);
            }
        }
    }
}
