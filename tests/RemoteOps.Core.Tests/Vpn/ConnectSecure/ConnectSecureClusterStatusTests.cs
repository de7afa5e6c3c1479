using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureClusterStatusTests
    {
        [Fact]
        public async Task WithoutARestClusterStatusSaysTheRoleIsUnknownRatherThanStandalone()
        {
            // The status codes are documented for the admin console only; no REST field for them was found.
            var handler = Appliance().On(Get, "/api/v1/system/cluster/status", Answers.Status(404));
            using (var appliance = await OpenAsync(handler))
            {
                var status = await appliance.GetClusterStatusAsync(CancellationToken.None);

                Assert.False(status.ClusterEnabled);
                var node = status.Nodes.Single();
                Assert.Equal("ics-a", node.Name);
                Assert.Equal("Unknown", node.Role);
                Assert.Null(status.Leader);
            }
        }

        [Fact]
        public async Task DecodesNodeStatusCodesIntoLeaderAndVipOwner()
        {
            // 0x01b004 and 0x011004: cluster enabled, configured member, group communication; the first also leader and VIP owner.
            var handler = Appliance().On(Get, "/api/v1/system/cluster/status", Answers.Json(200,
                "{\"cluster-name\":\"ics-cluster\",\"nodes\":[{\"name\":\"ics-a\",\"address\":\"192.0.2.10\",\"status-code\":" + 0x01b004 + "},{\"name\":\"ics-b\",\"address\":\"192.0.2.11\",\"status-code\":" + 0x011004 + "}]}"));
            using (var appliance = await OpenAsync(handler))
            {
                var status = await appliance.GetClusterStatusAsync(CancellationToken.None);

                Assert.Equal("ics-cluster", status.ClusterName);
                Assert.True(status.ClusterEnabled);
                Assert.Equal("ics-a", status.Leader);
                Assert.Equal("ics-a", status.VipOwner);
                Assert.Equal(new[] { "Leader", "Member" }, status.Nodes.Select(n => n.Role));
                Assert.All(status.Nodes, n => Assert.True(n.Reachable));
            }
        }
    }
}
