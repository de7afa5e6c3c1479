using System;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.Nftables;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public class NftablesRulesetTests
    {
        [Fact]
        public void RendersTheScriptThatRealNftAcceptedAndLoaded()
        {
            string script = NftablesRuleset.Render(FirewallPolicyValidator.Normalize(FirewallSamples.Policy()), "inet", "remoteops");

            Assert.Equal(NftablesSamples.Rendered, script);
        }

        [Fact]
        public void DeletesAndRecreatesTheTableInOneScriptRatherThanFlushingIt()
        {
            string[] lines = NftablesRuleset.Render(new FirewallPolicy(), "inet", "fw").Split('\n');

            Assert.Equal("table inet fw", lines[1]);
            Assert.Equal("delete table inet fw", lines[2]);
            Assert.Equal("table inet fw {", lines[3]);
            Assert.DoesNotContain(lines, l => l.Contains("flush"));
        }

        [Fact]
        public void RejectsTcpWithAResetAndOtherProtocolsWithNftsDefault()
        {
            var tcp = FirewallSamples.Rule("a", FirewallAction.Reject, FirewallChain.Forward, new string[0], new string[0], FirewallProtocol.Tcp, new[] { "1" });
            var any = FirewallSamples.Rule("b", FirewallAction.Reject, FirewallChain.Forward, new string[0], new string[0], FirewallProtocol.Any, new string[0]);

            Assert.Equal("tcp dport 1 reject with tcp reset comment \"a\"", NftablesRuleset.RenderRule(tcp));
            Assert.Equal("reject comment \"b\"", NftablesRuleset.RenderRule(any));
        }

        [Theory]
        [InlineData("inet", "bad name")]
        [InlineData("inet", "1table")]
        [InlineData("bridge", "remoteops")]
        [InlineData("inet", "")]
        public void RefusesATableItCannotManage(string family, string table)
        {
            var error = Assert.Throws<ArgumentException>(() => NftablesRuleset.Render(new FirewallPolicy(), family, table));
            Assert.Contains(family == "bridge" ? "'bridge'" : $"'{table}'", error.Message);
        }
    }
}
