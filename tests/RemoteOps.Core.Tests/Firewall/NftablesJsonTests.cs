using System;
using System.Linq;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.Nftables;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public class NftablesJsonTests
    {
        [Fact]
        public void ReadsBackTheRecordedTableAsThePolicyThatWasWritten()
        {
            FirewallPolicy desired = FirewallPolicyValidator.Normalize(FirewallSamples.Policy());
            FirewallPolicy read = NftablesJson.Parse(NftablesSamples.ListedClean, "inet", "remoteops");

            FirewallPlan plan = FirewallPolicyPlanner.Plan(read, desired);

            Assert.True(plan.IsEmpty, plan.ToText());
            Assert.Equal(new[] { "ssh-in", "smtp-off", "web-in", "block-8080", "refuse-8081", "dns", "ping", "udp-any", "last" }, read.Rules.Select(r => r.Name));
        }

        [Fact]
        public void ReadsEachPartOfARule()
        {
            FirewallPolicy read = NftablesJson.Parse(NftablesSamples.ListedClean, "inet", "remoteops");
            FirewallRule web = read.Rules.Single(r => r.Name == "web-in");
            FirewallRule ssh = read.Rules.Single(r => r.Name == "ssh-in");

            Assert.Equal(new[] { "10.2.0.1-10.2.0.5", "198.19.240.0/24" }, web.Source); // nft sorts set elements
            Assert.Equal(new[] { "198.19.241.2" }, web.Destination);
            Assert.Equal(new[] { "443", "8000-8010" }, web.Ports);
            Assert.Equal(FirewallProtocol.Tcp, web.Protocol);
            Assert.Null(web.Comment);
            Assert.Equal(new[] { "clients" }, ssh.Source);
            Assert.Equal("admins: from the office", ssh.Comment);
            Assert.Equal(FirewallChain.Input, ssh.Chain);
            Assert.Equal(FirewallAction.Reject, read.Rules.Single(r => r.Name == "refuse-8081").Action);
            Assert.Equal(FirewallAction.Reject, read.Rules.Single(r => r.Name == "udp-any").Action);
            Assert.Equal(FirewallProtocol.Udp, read.Rules.Single(r => r.Name == "udp-any").Protocol);
            Assert.Equal(FirewallProtocol.Icmp, read.Rules.Single(r => r.Name == "ping").Protocol);
            Assert.False(read.Rules.Single(r => r.Name == "smtp-off").Enabled);
            Assert.Equal(new[] { "10.1.1.1-10.1.1.9", "198.19.240.0/24" }, read.AddressObjects.Single().Addresses);
        }

        [Fact]
        public void AHandAddedRuleIsReportedAsUnmanagedAndPlannedForRemoval()
        {
            FirewallPolicy read = NftablesJson.Parse(NftablesSamples.ListedWithHandAddedRule, "inet", "remoteops");
            FirewallRule odd = read.Rules.Single(r => r.Name.StartsWith(FirewallPolicyValidator.UnmanagedPrefix, StringComparison.Ordinal));

            Assert.Matches("^unmanaged-forward-[0-9]+$", odd.Name);
            Assert.StartsWith("not written by RemoteOps", odd.Comment);
            FirewallPlan plan = FirewallPolicyPlanner.Plan(read, FirewallPolicyValidator.Normalize(FirewallSamples.Policy()));
            Assert.Equal("- " + odd.Name, Assert.Single(plan.Rules.Changes).Description);
        }

        [Fact]
        public void ReadsOnlyTheNamedTable()
        {
            Assert.Empty(NftablesJson.Parse(NftablesSamples.ListedClean, "inet", "other").Rules);
            Assert.Empty(NftablesJson.Parse(NftablesSamples.ListedClean, "ip", "remoteops").AddressObjects);
        }

        [Theory]
        [InlineData("Error: not json")]
        [InlineData("{\"something\": 1}")]
        public void RefusesOutputThatIsNotNftJson(string text)
        {
            Assert.Throws<FormatException>(() => NftablesJson.Parse(text, "inet", "remoteops"));
        }
    }
}
