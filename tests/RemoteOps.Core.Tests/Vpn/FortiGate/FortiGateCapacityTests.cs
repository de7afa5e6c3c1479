using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.FortiGate.ScriptedFortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    public sealed class FortiGateCapacityTests
    {
        [Fact]
        public async Task ReportsCurrentAgainstMaximumUsersFromTheSslVpnStatistics()
        {
            var handler = Appliance().On(Get, "/api/v2/monitor/vpn/ssl/stats",
                Answers.Json(200, Envelope(JObject.Parse("{\"current\":{\"users\":12,\"tunnels\":10},\"max\":{\"users\":500,\"tunnels\":500}}"))));
            using (var appliance = await OpenAsync(handler))
            {
                var capacity = (await appliance.GetCapacityAsync(CancellationToken.None)).Single();

                Assert.Equal("fgt-a", capacity.Node);
                Assert.Equal(12, capacity.ActiveSessions);
                Assert.Equal(500, capacity.MaximumSessions);
                Assert.Equal("Platform", capacity.LimitSource);
            }
        }

        [Fact]
        public async Task AMissingMaximumIsReportedAsUnknownNotAsZero()
        {
            var handler = Appliance().On(Get, "/api/v2/monitor/vpn/ssl/stats", Answers.Json(200, Envelope(JObject.Parse("{\"current\":{\"users\":0}}"))));
            using (var appliance = await OpenAsync(handler))
            {
                var capacity = (await appliance.GetCapacityAsync(CancellationToken.None)).Single();

                Assert.Equal(0, capacity.ActiveSessions);
                Assert.Null(capacity.MaximumSessions);
            }
        }
    }
}
