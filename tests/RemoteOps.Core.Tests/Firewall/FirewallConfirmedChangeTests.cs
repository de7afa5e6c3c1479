using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    /// <summary>The confirm window on a firewall without a timer of its own: the client-side guard, and what the host-timer path does when the change fails.</summary>
    public class FirewallConfirmedChangeTests
    {
        private static readonly TimeSpan Window = TimeSpan.FromSeconds(FirewallConfirmedChange.MinimumSeconds);

        [Fact]
        public async Task WithoutAHostTimerTheChangeIsPendingWithTheClientGuarantee()
        {
            var firewall = new MemoryFirewall();
            using var guard = new FirewallClientGuard();
            var changes = new FirewallConfirmedChange(firewall, guard);

            FirewallPolicyResult result = await Apply(firewall, changes, Policy("a", "b"));

            Assert.Equal(FirewallPolicyOutcome.Updated, result.Outcome);
            Assert.Equal(FirewallChangeState.Pending, result.ChangeState);
            Assert.Equal(FirewallRollbackGuarantee.ClientWhileReachable, result.RollbackGuarantee);
            Assert.Matches("^[0-9a-f]{12}$", result.ChangeId);
            Assert.True(result.ManagementPathAnswers);
            Assert.Contains("cannot try a new connection", result.ChangeNote);
            Assert.Equal(new[] { "a", "b" }, firewall.Names);
            Assert.Equal(FirewallChangeState.Pending, Assert.Single(await changes.GetChangesAsync(CancellationToken.None)).State);
        }

        [Fact]
        public async Task TheGuardSendsThePreviousPolicyBackAtTheDeadlineAndReportsIt()
        {
            var firewall = new MemoryFirewall();
            firewall.Set(Policy("old"));
            using var guard = new FirewallClientGuard();
            var settled = new TaskCompletionSource<FirewallChange>();
            var change = new FirewallChange { ChangeId = "0123456789ab", State = FirewallChangeState.Pending, Deadline = DateTimeOffset.UtcNow.AddMilliseconds(300) };
            FirewallPolicy previous = await firewall.GetPolicyAsync(CancellationToken.None);
            firewall.Set(Policy("new"));

            guard.Add(firewall, change, previous, c => settled.TrySetResult(c));
            FirewallChange done = await settled.Task.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(FirewallChangeState.RolledBack, done.State);
            Assert.Contains("deadline", done.Reason);
            Assert.Equal(new[] { "old" }, firewall.Names);
            var late = guard.Confirm(firewall, "0123456789ab");
            Assert.Equal(FirewallChangeState.RolledBack, late.State);
        }

        [Fact]
        public async Task AConfirmedChangeIsKeptPastTheDeadline()
        {
            var firewall = new MemoryFirewall();
            using var guard = new FirewallClientGuard();
            var change = new FirewallChange { ChangeId = "0123456789ab", State = FirewallChangeState.Pending, Deadline = DateTimeOffset.UtcNow.AddMilliseconds(300) };
            guard.Add(firewall, change, new FirewallPolicy(), c => throw new InvalidOperationException("the timer must not fire"));
            firewall.Set(Policy("new"));

            Assert.Equal(FirewallChangeState.Confirmed, guard.Confirm(firewall, "0123456789ab").State);
            await Task.Delay(800);

            Assert.Equal(new[] { "new" }, firewall.Names);
            Assert.Empty(guard.Changes(firewall));
            Assert.Equal(ApplianceErrorKind.NotFound, Assert.Throws<ApplianceException>(() => guard.Confirm(firewall, "0123456789ab")).Kind);
        }

        [Fact]
        public async Task UndoSendsThePreviousPolicyAtOnce()
        {
            var firewall = new MemoryFirewall();
            firewall.Set(Policy("old"));
            using var guard = new FirewallClientGuard();
            var changes = new FirewallConfirmedChange(firewall, guard);
            FirewallPolicyResult result = await Apply(firewall, changes, Policy("new"));

            FirewallChange undone = await changes.UndoAsync(result.ChangeId, CancellationToken.None);

            Assert.Equal(FirewallChangeState.RolledBack, undone.State);
            Assert.Equal(new[] { "old" }, firewall.Names);
            Assert.Empty(await changes.GetChangesAsync(CancellationToken.None));
        }

        [Fact]
        public async Task WhenANewManagementConnectionFailsTheChangeIsRolledBackAtOnce()
        {
            var firewall = new CheckedFirewall { Problem = "a new SSH connection did not get in" };
            firewall.Set(Policy("old"));
            using var guard = new FirewallClientGuard();
            var changes = new FirewallConfirmedChange(firewall, guard);

            FirewallPolicyResult result = await Apply(firewall, changes, Policy("locks-out"));

            Assert.Equal(FirewallChangeState.RolledBack, result.ChangeState);
            Assert.False(result.ManagementPathAnswers);
            Assert.Contains("did not get in", result.ChangeNote);
            Assert.Contains("sent back at once", result.ChangeNote);
            Assert.Equal(new[] { "old" }, firewall.Names);
            Assert.Empty(await changes.GetChangesAsync(CancellationToken.None));
        }

        [Fact]
        public async Task AnotherChangeWhileOneIsPendingIsRefusedBeforeAnythingIsSent()
        {
            var firewall = new MemoryFirewall();
            using var guard = new FirewallClientGuard();
            var changes = new FirewallConfirmedChange(firewall, guard);
            FirewallPolicyResult first = await Apply(firewall, changes, Policy("a"));

            var busy = await Assert.ThrowsAsync<ApplianceException>(() => changes.RequireNoPendingAsync(CancellationToken.None));
            var busyToo = await Assert.ThrowsAsync<ApplianceException>(() => Apply(firewall, changes, Policy("b")));

            Assert.Equal(ApplianceErrorKind.InUse, busy.Kind);
            Assert.Contains(first.ChangeId, busy.Message);
            Assert.Equal(ApplianceErrorKind.InUse, busyToo.Kind);
            Assert.Equal(new[] { "a" }, firewall.Names);
        }

        [Fact]
        public async Task AnEmptyPlanArmsNothing()
        {
            var firewall = new MemoryFirewall();
            firewall.Set(Policy("a"));
            using var guard = new FirewallClientGuard();
            var changes = new FirewallConfirmedChange(firewall, guard);

            FirewallPolicyResult result = await Apply(firewall, changes, Policy("a"));

            Assert.Equal(FirewallPolicyOutcome.NoChange, result.Outcome);
            Assert.Null(result.ChangeId);
            Assert.Empty(guard.Changes(null));
        }

        [Fact]
        public async Task WithAHostTimerARefusedChangeDisarmsAndAnUnknownOutcomeStaysArmed()
        {
            var firewall = new TimedFirewall { Failure = new ApplianceException(ApplianceErrorKind.InvalidRequest, "nft refused line 3") };
            using var guard = new FirewallClientGuard();
            var changes = new FirewallConfirmedChange(firewall, guard);

            await Assert.ThrowsAsync<ApplianceException>(() => Apply(firewall, changes, Policy("a")));
            Assert.Equal(new[] { "arm", "confirm" }, firewall.Calls);

            firewall.Calls.Clear();
            firewall.Failure = new ApplianceException(ApplianceErrorKind.TimedOut, "Loading did not finish in time.");
            var unknown = await Assert.ThrowsAsync<ApplianceException>(() => Apply(firewall, changes, Policy("a")));
            Assert.Equal(new[] { "arm" }, firewall.Calls);
            Assert.Equal(ApplianceErrorKind.TimedOut, unknown.Kind);
            Assert.Contains("stays pending", unknown.Message);
        }

        [Fact]
        public async Task AWindowOutsideTheLimitsIsRefusedBeforeAnythingIsSent()
        {
            var firewall = new MemoryFirewall();
            using var guard = new FirewallClientGuard();
            var changes = new FirewallConfirmedChange(firewall, guard);

            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Apply(firewall, changes, Policy("a"), TimeSpan.FromSeconds(FirewallConfirmedChange.MinimumSeconds - 1)));

            Assert.Empty(firewall.Names);
        }

        private static async Task<FirewallPolicyResult> Apply(IFirewall firewall, FirewallConfirmedChange changes, FirewallPolicy policy, TimeSpan? window = null)
        {
            var (desired, plan) = await new FirewallPolicyOperations(firewall).PlanAsync(policy, CancellationToken.None);
            return await changes.ApplyAsync(desired, plan, window ?? Window, "test", null, CancellationToken.None);
        }

        private static FirewallPolicy Policy(params string[] names) => new FirewallPolicy
        {
            Rules = names.Select(n => FirewallSamples.Rule(n, FirewallAction.Accept, FirewallChain.Input, new string[0], new string[0], FirewallProtocol.Tcp, new[] { "443" })).ToList(),
        };

        private class MemoryFirewall : IFirewall
        {
            private FirewallPolicy held = new FirewallPolicy();

            public ApplianceInfo Info { get; } = new ApplianceInfo { Driver = "Memory", Address = "fw.test" };

            public ApplianceCapabilities Capabilities => ApplianceCapabilities.FirewallPolicy;

            public string PolicyScope => "memory";

            public string[] Names => held.Rules.Select(r => r.Name).ToArray();

            public void Set(FirewallPolicy policy) => held = FirewallPolicyValidator.Normalize(policy);

            public Task<FirewallPolicy> GetPolicyAsync(CancellationToken cancellationToken) =>
                Task.FromResult(new FirewallPolicy { AddressObjects = held.AddressObjects.ToList(), Rules = held.Rules.Select(r => r.Clone()).ToList() });

            public Task<string> ExportPolicyAsync(CancellationToken cancellationToken) => Task.FromResult(string.Join(",", Names));

            public virtual Task ReplacePolicyAsync(FirewallPolicy policy, CancellationToken cancellationToken)
            {
                Set(policy);
                return Task.CompletedTask;
            }

            public void Dispose()
            {
            }
        }

        private sealed class CheckedFirewall : MemoryFirewall, IManagementPathCheck
        {
            public string Problem { get; set; }

            public Task<string> CheckNewConnectionAsync(CancellationToken cancellationToken) => Task.FromResult(Problem);
        }

        private sealed class TimedFirewall : MemoryFirewall, IFirewallCommitConfirm
        {
            public Exception Failure { get; set; }

            public List<string> Calls { get; } = new List<string>();

            public override Task ReplacePolicyAsync(FirewallPolicy policy, CancellationToken cancellationToken) => Task.FromException(Failure);

            public Task<FirewallChange> ArmRollbackAsync(string changeId, TimeSpan window, string description, string savedExport, CancellationToken cancellationToken)
            {
                Calls.Add("arm");
                return Task.FromResult(new FirewallChange { ChangeId = changeId, State = FirewallChangeState.Pending, Deadline = DateTimeOffset.UtcNow + window });
            }

            public Task<IReadOnlyList<FirewallChange>> GetChangesAsync(CancellationToken cancellationToken) => Task.FromResult((IReadOnlyList<FirewallChange>)new FirewallChange[0]);

            public Task<FirewallChange> ConfirmAsync(string changeId, CancellationToken cancellationToken)
            {
                Calls.Add("confirm");
                return Task.FromResult(new FirewallChange { ChangeId = changeId, State = FirewallChangeState.Confirmed });
            }

            public Task<FirewallChange> UndoAsync(string changeId, CancellationToken cancellationToken) => throw new NotSupportedException();
        }
    }
}
