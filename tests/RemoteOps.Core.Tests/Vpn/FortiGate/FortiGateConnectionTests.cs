using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.FortiGate.ScriptedFortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    public sealed class FortiGateConnectionTests
    {
        [Fact]
        public async Task SendsTheTokenAsABearerHeaderAndNeverInTheUrl()
        {
            var handler = Appliance().On(Get, UsersPath, Answers.Json(200, Envelope(new JArray())))
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray())));
            using (var appliance = await OpenAsync(handler))
            {
                await appliance.GetUsersAsync(CancellationToken.None);

                Assert.Equal("GET /api/v2/monitor/system/status", handler.Requests[0].ToString());
                Assert.All(handler.Requests, r => Assert.Equal("Bearer", r.Authorization.Scheme));
                Assert.All(handler.Requests, r => Assert.Equal(Token, r.Authorization.Parameter));
                Assert.All(handler.Requests, r => Assert.DoesNotContain("access_token", r.Query));
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task ReadsNameAndVersionFromTheStatusEnvelope()
        {
            using (var appliance = await OpenAsync(Appliance()))
            {
                Assert.Equal("fgt-a", appliance.Info.Name);
                Assert.Equal("FortiOS v7.4.4 (build 2662)", appliance.Info.Version);
                Assert.Equal(Address, appliance.Info.Address);
            }
        }

        [Fact]
        public async Task ARefusedTokenIsAnAuthenticationFailureEvenWithAnHtmlPageAndNeverQuotesTheToken()
        {
            // FortiOS may answer 401 with an HTML page rather than JSON.
            var handler = Appliance().On(Get, "/api/v2/monitor/system/status", Answers.Text(401, "text/html", "<html><body>401 Unauthorized " + Token + "</body></html>"));

            var error = await Assert.ThrowsAsync<ApplianceException>(() => OpenAsync(handler));

            Assert.Equal(ApplianceErrorKind.AuthenticationFailed, error.Kind);
            Assert.Contains("HTTP 401", error.Message);
            Assert.DoesNotContain(Token, error.ToString());
            Assert.DoesNotContain("<html>", error.Message);
        }

        [Fact]
        public async Task ATokenRevokedLaterIsAnAuthenticationFailureAndIsNotSentAgain()
        {
            // Failed API authentications lock the admin out (three in a minute by default), so a
            // refused token must not be tried again and again.
            var handler = Appliance().On(Get, "/api/v2/monitor/vpn/ssl/stats", Answers.Json(401, "{\"status\":\"error\",\"http_status\":401}"));
            using (var appliance = await OpenAsync(handler))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetCapacityAsync(CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.AuthenticationFailed, error.Kind);
                Assert.DoesNotContain(Token, error.ToString());
                Assert.Contains("refused the REST API token", error.Message);
                Assert.Single(handler.RequestsTo(Get, "/api/v2/monitor/vpn/ssl/stats"));

                await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetCapacityAsync(CancellationToken.None));
                Assert.Single(handler.RequestsTo(Get, "/api/v2/monitor/vpn/ssl/stats"));
            }
        }
    }
}
