using System.Linq;
using RemoteOps.Core.Bandwidth.LinuxTc;
using Xunit;

namespace RemoteOps.Core.Tests.Bandwidth
{
    public class TcClassTextTests
    {
        [Fact]
        public void ReadsEveryHtbClassWithItsCountersAndEstimatedRate()
        {
            const string text = "class htb 1:10 parent 1:1 prio 1 rate 6Mbit ceil 10Mbit burst 1599b cburst 1600b \n"
                + " Sent 11063704 bytes 7341 pkt (dropped 3, overlimits 699 requeues 0) \n"
                + " rate 116496bit 9pps backlog 0b 0p requeues 0\n"
                + " lended: 312 borrowed: 424 giants: 0\n"
                + " tokens: -170644 ctokens: -97\n\n"
                + "class htb 1:1 root rate 50Mbit ceil 50Mbit burst 1600b cburst 1600b \n"
                + " Sent 336 bytes 4 pkt (dropped 0, overlimits 0 requeues 0) \n"
                + " backlog 0b 0p requeues 0\n";

            var classes = TcClassText.Parse(text);

            Assert.Equal(new[] { "1:10", "1:1" }, classes.Select(c => c.ClassId));
            TcClass leaf = classes[0];
            Assert.Equal("1:1", leaf.Parent);
            Assert.Equal(1, leaf.Priority);
            Assert.Equal(6000000, leaf.Rate);
            Assert.Equal(10000000, leaf.Ceiling);
            Assert.Equal(11063704, leaf.Bytes);
            Assert.Equal(7341, leaf.Packets);
            Assert.Equal(3, leaf.Drops);
            Assert.Equal(699, leaf.Overlimits);
            Assert.Equal(116496, leaf.CurrentRate);
            Assert.Null(classes[1].Parent);
            Assert.Null(classes[1].Priority);
            Assert.Null(classes[1].CurrentRate);
        }

        [Fact]
        public void ReadsTheRecordedListing()
        {
            var classes = TcClassText.Parse(LinuxTcSamples.ClassesAfter);

            Assert.Equal(new[] { "1:11", "1:1", "1:10", "1:2", "1:12" }, classes.Select(c => c.ClassId));
            Assert.Equal(1500000, classes[3].Rate);
        }
    }
}
