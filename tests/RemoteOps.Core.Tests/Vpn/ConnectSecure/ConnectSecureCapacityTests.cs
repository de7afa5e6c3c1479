using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureCapacityTests
    {
        private const string LicensePath = "/api/v1/license/concurrent-users";

        [Fact]
        public async Task WithoutALicenceEndpointCountsSessionsPerNodeAndLeavesTheMaximumUnknown()
        {
            // No documented REST field carries the licensed concurrent users: a real appliance answers 404.
            var handler = Appliance()
                .On(Get, LicensePath, Answers.Status(404))
                .On(Get, "/api/v1/system/active-users?number=200&start=0", Answers.Json(200, ActiveUsersPage(
                    new JArray(ActiveUser("s1", "a", "ics-a"), ActiveUser("s2", "b", "ics-a"), ActiveUser("s3", "c", "ics-b")), 3, isLast: true)));
            using (var appliance = await OpenAsync(handler))
            {
                var capacity = (await appliance.GetCapacityAsync(CancellationToken.None)).OrderBy(c => c.Node).ToList();

                Assert.Equal(new[] { "ics-a", "ics-b" }, capacity.Select(c => c.Node));
                Assert.Equal(new[] { 2, 1 }, capacity.Select(c => c.ActiveSessions));
                Assert.All(capacity, c => Assert.Null(c.MaximumSessions));
                Assert.All(capacity, c => Assert.Equal("Unknown", c.LimitSource));
                Assert.Empty(handler.Unrouted);
            }
        }

        [Fact]
        public async Task AnIdleApplianceWithoutALicenceEndpointReportsOneNodeWithNoSessions()
        {
            var handler = Appliance()
                .On(Get, LicensePath, Answers.Status(404))
                .On(Get, "/api/v1/system/active-users?number=200&start=0", Answers.Json(200, ActiveUsersPage(new JArray(), 0, isLast: true)));
            using (var appliance = await OpenAsync(handler))
            {
                var capacity = (await appliance.GetCapacityAsync(CancellationToken.None)).Single();

                Assert.Equal("ics-a", capacity.Node);
                Assert.Equal(0, capacity.ActiveSessions);
            }
        }
    }
}
