using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Firewall;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public sealed class FirewallPolicyOperationsTests
    {
        [Fact]
        public async Task ADesiredPolicyMadeFromTheCurrentOneIsPlannedAgainstWhatTheFirewallHolds()
        {
            var firewall = new OneReadFirewall(new FirewallRule { Name = "web", Ports = { "443" }, Protocol = FirewallProtocol.Tcp });

            var (desired, plan) = await new FirewallPolicyOperations(firewall).PlanAsync(current =>
            {
                // The cmdlets edit what they are given: that must not change what the plan starts from.
                current.Rules[0].Ports.Add("8443");
                current.Rules.Add(new FirewallRule { Name = "dns", Protocol = FirewallProtocol.Udp, Ports = { "53" } });
                return current;
            }, CancellationToken.None);

            Assert.Equal(1, firewall.Reads);
            Assert.Equal(new[] { "web", "dns" }, desired.Rules.Select(r => r.Name));
            Assert.Equal(new[] { PlanAction.Change, PlanAction.Add }, plan.Rules.Steps.Select(s => s.Action));
            Assert.Equal(new[] { "443" }, plan.Current.Rules.Single().Ports);
        }

        [Fact]
        public async Task NoDesiredPolicyPlansNothing()
        {
            var firewall = new OneReadFirewall(new FirewallRule { Name = "web" });

            var (desired, plan) = await new FirewallPolicyOperations(firewall).PlanAsync(_ => null, CancellationToken.None);

            Assert.Null(desired);
            Assert.Null(plan);
        }

        [Fact]
        public async Task ADesiredPolicyMadeFromTheCurrentOneIsValidatedAndCheckedAgainstTheDevicesLimits()
        {
            var operations = new FirewallPolicyOperations(new OneReadFirewall());

            var invalid = await Assert.ThrowsAsync<ArgumentException>(() => operations.PlanAsync(current =>
            {
                current.Rules.Add(new FirewallRule { Name = "bad", Source = { "10.0.0.300/24" } });
                return current;
            }, CancellationToken.None));
            var unsupported = await Assert.ThrowsAsync<ArgumentException>(() => operations.PlanAsync(current =>
            {
                current.Rules.Add(new FirewallRule { Name = "ssh", Chain = FirewallChain.Input });
                return current;
            }, CancellationToken.None));

            Assert.Contains("10.0.0.300/24", invalid.Message);
            Assert.Equal("no Input here: ssh", unsupported.Message);
        }

        [Fact]
        public async Task MatchingRulesTheDeviceDoesNotEnforceStillMakeAPlanThatSendsThePolicy()
        {
            var firewall = new OneReadFirewall(new FirewallRule { Name = "web" }) { Pending = "upload: never uploaded" };
            var operations = new FirewallPolicyOperations(firewall);

            var (desired, plan) = await operations.PlanAsync(new FirewallPolicy { Rules = { new FirewallRule { Name = "web" } } }, CancellationToken.None);
            FirewallPolicyResult result = await operations.ApplyAsync(desired, plan, null, CancellationToken.None);

            Assert.False(plan.IsEmpty);
            Assert.Equal(PlanAction.Unchanged, plan.Rules.Steps.Single().Action);
            Assert.Contains("! upload: never uploaded", plan.ToText());
            Assert.Equal(new[] { "upload: never uploaded" }, result.Changes);
            Assert.Equal(FirewallPolicyOutcome.Updated, result.Outcome);
            Assert.Equal(1, firewall.Replaced);
        }

        [Fact]
        public async Task TheBackupAndTheChangeMayReuseWhatWasReadForThePlanButTheVerificationMayNot()
        {
            var firewall = new OneReadFirewall();
            var operations = new FirewallPolicyOperations(firewall);
            var (desired, plan) = await operations.PlanAsync(new FirewallPolicy { Rules = { new FirewallRule { Name = "web" } } }, CancellationToken.None);

            await operations.ApplyAsync(desired, plan, _ => "backup", CancellationToken.None);

            Assert.Same(plan, firewall.ReusedDuringExport);
            Assert.Same(plan, firewall.ReusedDuringReplace);
            Assert.Null(firewall.ReusedDuringLastRead);
        }

        private sealed class OneReadFirewall : IFirewall, IFirewallRuleLimits, IFirewallPendingChanges, IFirewallPlanReuse
        {
            private readonly FirewallRule[] rules;

            public OneReadFirewall(params FirewallRule[] rules)
            {
                this.rules = rules;
            }

            public int Reads { get; private set; }

            public int Replaced { get; private set; }

            public string Pending { get; set; }

            public FirewallPlan ReusedDuringExport { get; private set; }

            public FirewallPlan ReusedDuringReplace { get; private set; }

            public FirewallPlan ReusedDuringLastRead { get; private set; }

            private FirewallPlan reusing;

            public ApplianceInfo Info { get; } = new ApplianceInfo { Address = "fw.test" };

            public ApplianceCapabilities Capabilities => ApplianceCapabilities.FirewallPolicy;

            public string PolicyScope => "test";

            public void CheckSupported(FirewallPolicy policy)
            {
                FirewallRule input = policy.Rules.FirstOrDefault(r => r.Chain == FirewallChain.Input);
                if (input != null)
                {
                    throw new ArgumentException("no Input here: " + input.Name);
                }
            }

            public Task<FirewallPolicy> GetPolicyAsync(CancellationToken cancellationToken)
            {
                Reads++;
                ReusedDuringLastRead = reusing;
                var policy = new FirewallPolicy();
                if (Replaced > 0 && Pending == null)
                {
                    policy.Rules.Add(new FirewallRule { Name = "web" });
                }

                foreach (FirewallRule rule in rules)
                {
                    policy.Rules.Add(rule.Clone());
                }

                return Task.FromResult(FirewallPolicyValidator.Normalize(policy));
            }

            public Task<string> ExportPolicyAsync(CancellationToken cancellationToken)
            {
                ReusedDuringExport = reusing;
                return Task.FromResult("exported");
            }

            public Task ReplacePolicyAsync(FirewallPolicy policy, CancellationToken cancellationToken)
            {
                ReusedDuringReplace = reusing;
                Replaced++;
                return Task.CompletedTask;
            }

            public Task<string> PendingChangesAsync(CancellationToken cancellationToken) => Task.FromResult(Replaced > 0 ? null : Pending);

            public IDisposable ReuseReadOf(FirewallPlan plan)
            {
                reusing = plan;
                return new Scope(() => reusing = null);
            }

            private sealed class Scope : IDisposable
            {
                private readonly Action end;

                public Scope(Action end) => this.end = end;

                public void Dispose() => end();
            }

            public void Dispose()
            {
            }
        }
    }
}
