using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Firewall;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public sealed class FirewallRuleLimitsTests
    {
        [Fact]
        public async Task ARuleTheFirewallCannotHoldIsRefusedBeforeTheFirewallIsRead()
        {
            var firewall = new ForwardOnlyFirewall();
            var operations = new FirewallPolicyOperations(firewall);
            var policy = new FirewallPolicy { Rules = { new FirewallRule { Name = "ssh", Chain = FirewallChain.Input } } };

            var error = await Assert.ThrowsAsync<ArgumentException>(() => operations.PlanAsync(policy, CancellationToken.None));

            Assert.Equal("no Input here: ssh", error.Message);
            Assert.Equal(0, firewall.Reads);
            (FirewallPolicy _, FirewallPlan plan) = await operations.PlanAsync(new FirewallPolicy { Rules = { new FirewallRule { Name = "web" } } }, CancellationToken.None);
            Assert.Equal(1, firewall.Reads);
            Assert.False(plan.IsEmpty);
        }

        private sealed class ForwardOnlyFirewall : IFirewall, IFirewallRuleLimits
        {
            public int Reads;

            public ApplianceInfo Info { get; } = new ApplianceInfo { Address = "fw.test" };

            public ApplianceCapabilities Capabilities => ApplianceCapabilities.FirewallPolicy;

            public string PolicyScope => "test";

            public void CheckSupported(FirewallPolicy policy)
            {
                foreach (FirewallRule rule in policy.Rules)
                {
                    if (rule.Chain == FirewallChain.Input)
                    {
                        throw new ArgumentException("no Input here: " + rule.Name);
                    }
                }
            }

            public Task<FirewallPolicy> GetPolicyAsync(CancellationToken cancellationToken)
            {
                Reads++;
                return Task.FromResult(new FirewallPolicy());
            }

            public Task<string> ExportPolicyAsync(CancellationToken cancellationToken) => Task.FromResult(string.Empty);

            public Task ReplacePolicyAsync(FirewallPolicy policy, CancellationToken cancellationToken) => throw new InvalidOperationException("not in this test");

            public void Dispose()
            {
            }
        }
    }
}
