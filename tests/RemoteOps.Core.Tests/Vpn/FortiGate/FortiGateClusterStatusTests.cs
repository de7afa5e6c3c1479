using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.FortiGate.ScriptedFortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    public sealed class FortiGateClusterStatusTests
    {
        [Fact]
        public async Task AnHaPairHasThePrimaryAsLeaderAndVipOwner()
        {
            var handler = Appliance().On(Get, "/api/v2/monitor/system/ha-peer", Answers.Json(200, Envelope(JArray.Parse(
                "[{\"serial_no\":\"FGVM01\",\"vcluster_id\":0,\"priority\":200,\"hostname\":\"fgt-a\",\"master\":true,\"primary\":true},"
                + "{\"serial_no\":\"FGVM02\",\"vcluster_id\":0,\"priority\":100,\"hostname\":\"fgt-b\",\"master\":false,\"primary\":false}]"))));
            using (var appliance = await OpenAsync(handler))
            {
                var status = await appliance.GetClusterStatusAsync(CancellationToken.None);

                Assert.True(status.ClusterEnabled);
                Assert.Equal("fgt-a", status.Leader);
                Assert.Equal("fgt-a", status.VipOwner);
                Assert.Equal(new[] { "Leader", "Member" }, status.Nodes.Select(n => n.Role));
                Assert.Contains("serial FGVM02", status.Nodes[1].Status);
            }
        }

        [Fact]
        public async Task AStandaloneUnitWithNoPeersLeadsItself()
        {
            var handler = Appliance().On(Get, "/api/v2/monitor/system/ha-peer", Answers.Json(200, Envelope(new JArray())));
            using (var appliance = await OpenAsync(handler))
            {
                var status = await appliance.GetClusterStatusAsync(CancellationToken.None);

                Assert.False(status.ClusterEnabled);
                Assert.Equal("Standalone", status.Nodes.Single().Role);
                Assert.Equal("fgt-a", status.Leader);
            }
        }
    }
}
