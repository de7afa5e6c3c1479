using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// One firewall's part of a change made on many at once: apply (with or without a confirm
    /// window), and put the firewall back to what it held before when its change failed, or when
    /// the change failed elsewhere and the caller wants all or nothing. Never leaves a firewall
    /// half-changed without saying so.
    /// </summary>
    public sealed class FirewallRollout
    {
        private readonly IFirewall firewall;
        private readonly FirewallClientGuard guard;

        /// <summary>Works on one firewall; <paramref name="guard"/> holds the session's client-side confirm windows.</summary>
        public FirewallRollout(IFirewall firewall, FirewallClientGuard guard)
        {
            this.firewall = firewall ?? throw new ArgumentNullException(nameof(firewall));
            this.guard = guard ?? throw new ArgumentNullException(nameof(guard));
        }

        /// <summary>
        /// Applies the plan. When it fails after the change may have been sent (anything but a
        /// refusal, which changes nothing), the policy from before is sent back and the result,
        /// Outcome Failed, says whether that worked. Refused or not: the returned error is the failure.
        /// </summary>
        public async Task<(FirewallPolicyResult Result, Exception Error)> ApplyAsync(FirewallPolicy desired, FirewallPlan plan, int confirmWithinSec, string description,
            Func<string, string> saveBackup, Action<FirewallChange> settledByTimer, CancellationToken cancellationToken)
        {
            var operations = new FirewallPolicyOperations(firewall);
            try
            {
                FirewallPolicyResult result = confirmWithinSec > 0
                    ? await new FirewallConfirmedChange(firewall, guard).ApplyAsync(desired, plan, TimeSpan.FromSeconds(confirmWithinSec), description, saveBackup, cancellationToken, settledByTimer).ConfigureAwait(false)
                    : await operations.ApplyAsync(desired, plan, saveBackup, cancellationToken).ConfigureAwait(false);
                return (result, null);
            }
            catch (Exception error) when (!(error is ArgumentException))
            {
                FirewallPolicyResult failed = operations.Describe(plan, FirewallPolicyOutcome.Failed);
                bool nothingSent = error is ApplianceException refused && (refused.Kind == ApplianceErrorKind.InvalidRequest || refused.Kind == ApplianceErrorKind.InUse)
                    || (error is OperationCanceledException && cancellationToken.IsCancellationRequested);
                if (nothingSent)
                {
                    failed.ChangeNote = "Nothing was changed on this firewall.";
                }
                else if (confirmWithinSec > 0 && firewall is IFirewallCommitConfirm)
                {
                    failed.ChangeNote = "The host's rollback timer stays armed and puts the previous policy back at the deadline.";
                }
                else
                {
                    failed.ChangeNote = await RestoreAsync(plan.Current).ConfigureAwait(false);
                }

                return (failed, error);
            }
        }

        /// <summary>Puts back what a successful change replaced (for all-or-nothing): undoes its confirm window, or sends the previous policy.</summary>
        public async Task<FirewallPolicyResult> RollBackAsync(FirewallPolicyResult applied, FirewallPlan plan)
        {
            if (applied == null || plan == null)
            {
                throw new ArgumentNullException(applied == null ? nameof(applied) : nameof(plan));
            }

            if (applied.ChangeState == FirewallChangeState.Pending && applied.ChangeId != null)
            {
                FirewallChange undone = await new FirewallConfirmedChange(firewall, guard).UndoAsync(applied.ChangeId, CancellationToken.None).ConfigureAwait(false);
                applied.ChangeState = undone.State;
                applied.ChangeNote = undone.State == FirewallChangeState.RolledBack ? "Put back: the change failed on another firewall." : undone.Reason;
            }
            else
            {
                applied.ChangeNote = await RestoreAsync(plan.Current).ConfigureAwait(false);
            }

            applied.Outcome = FirewallPolicyOutcome.RolledBack;
            return applied;
        }

        private async Task<string> RestoreAsync(FirewallPolicy previous)
        {
            if (previous == null)
            {
                return "The policy from before is not known; look at the firewall (Get-RoFirewallRule).";
            }

            try
            {
                var operations = new FirewallPolicyOperations(firewall);
                var (desired, plan) = await operations.PlanAsync(previous, CancellationToken.None).ConfigureAwait(false);
                await operations.ApplyAsync(desired, plan, null, CancellationToken.None).ConfigureAwait(false);
                return plan.IsEmpty ? "The firewall still holds the policy from before." : "The policy from before was put back and read back.";
            }
            catch (Exception error) when (!(error is OperationCanceledException))
            {
                return $"Putting the policy from before back failed too ({error.Message}): look at the firewall now (Get-RoFirewallRule); the backup files hold what it held.";
            }
        }
    }
}
