using RemoteOps.Core.Vpn.ConnectSecure;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn
{
    public sealed class ClusterStatusCodeTests
    {
        [Fact]
        public void DecodesALeaderThatOwnsTheVips()
        {
            var node = ClusterStatusCode.Decode("ics-a", "198.18.9.1", 0x008000 | 0x002000 | 0x000004 | 0x010000);
            Assert.Equal("Leader", node.Role);
            Assert.True(node.OwnsVip);
            Assert.True(node.Reachable);
            Assert.Contains("cluster enabled", node.Status);
        }

        [Fact]
        public void AMemberWithTheAmbiguousBitIsNotTheVipOwner()
        {
            // 0x002000 also means "syncing state to a joining node" in the vendor's table.
            var node = ClusterStatusCode.Decode("ics-b", null, 0x001000 | 0x002000 | 0x000004);
            Assert.Equal("Member", node.Role);
            Assert.False(node.OwnsVip);
        }

        [Fact]
        public void TheUnreachableBitMarksTheNodeUnreachable()
        {
            var node = ClusterStatusCode.Decode("ics-b", null, 0x001000 | 0x000008 | 0x000004);
            Assert.False(node.Reachable);
            Assert.Contains("unreachable", node.Status);
        }

        [Fact]
        public void AStandaloneNodeLeadsItself()
        {
            var node = ClusterStatusCode.Decode("ics", null, 0x000001 | 0x002000);
            Assert.Equal("Standalone", node.Role);
            Assert.True(node.OwnsVip);
        }
    }
}
