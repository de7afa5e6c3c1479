using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// Applies a planned change with a confirm window on any <see cref="IFirewall"/>: with the
    /// device's own timer when the driver offers one (<see cref="IFirewallCommitConfirm"/>,
    /// armed before the change is sent), otherwise with the session's <see cref="FirewallClientGuard"/>.
    /// Also the one place that finds, confirms and undoes such changes.
    /// </summary>
    public sealed class FirewallConfirmedChange
    {
        /// <summary>The shortest window accepted.</summary>
        public const int MinimumSeconds = 5;

        /// <summary>The longest window accepted (one day).</summary>
        public const int MaximumSeconds = 86400;

        private readonly IFirewall firewall;
        private readonly FirewallClientGuard guard;
        private readonly FirewallPolicyOperations operations;

        /// <summary>Works on one firewall; <paramref name="guard"/> holds the client-side windows of the session.</summary>
        public FirewallConfirmedChange(IFirewall firewall, FirewallClientGuard guard)
        {
            this.firewall = firewall ?? throw new ArgumentNullException(nameof(firewall));
            this.guard = guard ?? throw new ArgumentNullException(nameof(guard));
            operations = new FirewallPolicyOperations(firewall);
        }

        /// <summary>What the driver can promise for a rollback.</summary>
        public FirewallRollbackGuarantee Guarantee => firewall is IFirewallCommitConfirm ? FirewallRollbackGuarantee.HostTimer : FirewallRollbackGuarantee.ClientWhileReachable;

        /// <summary>A new change id: 12 lower-case hex digits.</summary>
        public static string NewChangeId() => Guid.NewGuid().ToString("N").Substring(0, 12);

        /// <summary>How long the management check may take for a window: a third of it, at least 3 and at most 10 seconds.</summary>
        public static TimeSpan CheckTimeFor(TimeSpan window) =>
            TimeSpan.FromSeconds(Math.Max(3, Math.Min(10, window.TotalSeconds / 3)));

        /// <summary>
        /// Every change on the firewall calls this first: it returns the changes that ended
        /// without a client since last asked (a host timer's rollback, to be audited), and refuses
        /// with InUse while a change is waiting for confirmation, because a rollback would then
        /// also undo the new change.
        /// </summary>
        public async Task<IReadOnlyList<FirewallChange>> RequireNoPendingAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<FirewallChange> changes = await GetChangesAsync(cancellationToken).ConfigureAwait(false);
            FirewallChange pending = changes.FirstOrDefault(c => c.State == FirewallChangeState.Pending);
            if (pending != null)
            {
                throw new ApplianceException(ApplianceErrorKind.InUse,
                    $"Change {pending.ChangeId} on {pending.Scope} of {pending.Appliance} is waiting for confirmation until {pending.Deadline.ToString("u", CultureInfo.InvariantCulture)}; nothing was changed.",
                    $"Confirm it (Confirm-RoFirewallChange -ChangeId {pending.ChangeId}) or roll it back (Undo-RoFirewallChange -ChangeId {pending.ChangeId}) first.");
            }

            return changes.Where(c => c.State != FirewallChangeState.Pending).ToList();
        }

        /// <summary>The pending change and the changes that ended by themselves since last asked (host rollbacks are handed out once).</summary>
        public async Task<IReadOnlyList<FirewallChange>> GetChangesAsync(CancellationToken cancellationToken)
        {
            if (firewall is IFirewallCommitConfirm host)
            {
                return await host.GetChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            return guard.Changes(firewall);
        }

        /// <summary>Keeps a pending change.</summary>
        public Task<FirewallChange> ConfirmAsync(string changeId, CancellationToken cancellationToken) =>
            firewall is IFirewallCommitConfirm host ? host.ConfirmAsync(changeId, cancellationToken) : Task.FromResult(guard.Confirm(firewall, changeId));

        /// <summary>Rolls a pending change back now.</summary>
        public Task<FirewallChange> UndoAsync(string changeId, CancellationToken cancellationToken) =>
            firewall is IFirewallCommitConfirm host ? host.UndoAsync(changeId, cancellationToken) : guard.UndoAsync(firewall, changeId, cancellationToken);

        /// <summary>
        /// Applies a plan from <see cref="FirewallPolicyOperations.PlanAsync"/> with a confirm
        /// window. An empty plan sends nothing and arms nothing. The result carries the change's
        /// id, state, deadline and guarantee.
        /// </summary>
        /// <param name="desired">The canonical desired policy.</param>
        /// <param name="plan">Its plan.</param>
        /// <param name="window">How long the change waits for confirmation.</param>
        /// <param name="description">What the change is, kept with it.</param>
        /// <param name="saveBackup">Given the device's export before the change; returns where it was kept (or null).</param>
        /// <param name="cancellationToken">Stops before the change is sent.</param>
        /// <param name="settledByTimer">For a client-side window: called with the change when the session's timer rolled it back (for the audit log); may be null.</param>
        public async Task<FirewallPolicyResult> ApplyAsync(FirewallPolicy desired, FirewallPlan plan, TimeSpan window, string description, Func<string, string> saveBackup,
            CancellationToken cancellationToken, Action<FirewallChange> settledByTimer = null)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (window.TotalSeconds < MinimumSeconds || window.TotalSeconds > MaximumSeconds)
            {
                throw new ArgumentOutOfRangeException(nameof(window), $"A confirm window must be {MinimumSeconds} to {MaximumSeconds} seconds.");
            }

            if (plan.IsEmpty)
            {
                return operations.Describe(plan, FirewallPolicyOutcome.NoChange);
            }

            string changeId = NewChangeId();
            return firewall is IFirewallCommitConfirm host
                ? await ApplyWithHostTimerAsync(host, changeId, desired, plan, window, description, saveBackup, cancellationToken).ConfigureAwait(false)
                : await ApplyWithClientGuardAsync(changeId, desired, plan, window, description, saveBackup, settledByTimer, cancellationToken).ConfigureAwait(false);
        }

        private async Task<FirewallPolicyResult> ApplyWithHostTimerAsync(IFirewallCommitConfirm host, string changeId, FirewallPolicy desired, FirewallPlan plan, TimeSpan window,
            string description, Func<string, string> saveBackup, CancellationToken cancellationToken)
        {
            string export;
            using (operations.ReusingReadOf(plan))
            {
                export = await firewall.ExportPolicyAsync(cancellationToken).ConfigureAwait(false);
            }

            string backupPath = saveBackup?.Invoke(export);
            FirewallChange change = await host.ArmRollbackAsync(changeId, window, description, export, cancellationToken).ConfigureAwait(false);
            FirewallPolicyResult result;
            try
            {
                result = await operations.ApplyAsync(desired, plan, null, cancellationToken).ConfigureAwait(false);
            }
            catch (ApplianceException refused) when (refused.Kind == ApplianceErrorKind.InvalidRequest)
            {
                // The device refused the whole transaction: nothing changed, nothing to roll back.
                await host.ConfirmAsync(changeId, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            catch (Exception failed) when (!(failed is ArgumentException))
            {
                // Whether the change took is not known: the timer stays armed and will put the old policy back.
                throw new ApplianceException(
                    failed is ApplianceException classified ? classified.Kind : failed is OperationCanceledException ? ApplianceErrorKind.Cancelled : ApplianceErrorKind.Failed,
                    $"{failed.Message} Change {changeId} stays pending: {firewall.Info.Address} puts the previous policy back at {change.Deadline.ToString("u", CultureInfo.InvariantCulture)} unless it is confirmed.",
                    $"Look at the firewall (Get-RoFirewallRule), then Confirm-RoFirewallChange -ChangeId {changeId} to keep what is there or Undo-RoFirewallChange -ChangeId {changeId} to go back now.",
                    failed);
            }

            result.BackupPath = backupPath;
            Describe(result, change);
            await CheckManagementPathAsync(result, window).ConfigureAwait(false);
            if (result.ManagementPathAnswers == false)
            {
                result.ChangeNote += $" The host puts the previous policy back at {change.Deadline.ToString("u", CultureInfo.InvariantCulture)} unless the change is confirmed; Undo-RoFirewallChange does it now.";
            }

            return result;
        }

        private async Task<FirewallPolicyResult> ApplyWithClientGuardAsync(string changeId, FirewallPolicy desired, FirewallPlan plan, TimeSpan window,
            string description, Func<string, string> saveBackup, Action<FirewallChange> settledByTimer, CancellationToken cancellationToken)
        {
            await RequireNoPendingAsync(cancellationToken).ConfigureAwait(false);
            // What the plan was made from is what the window puts back (one read per apply).
            FirewallPolicy previous = plan.Current ?? await firewall.GetPolicyAsync(cancellationToken).ConfigureAwait(false);
            FirewallPolicyResult result = await operations.ApplyAsync(desired, plan, saveBackup, cancellationToken).ConfigureAwait(false);
            var change = new FirewallChange
            {
                ChangeId = changeId,
                Appliance = firewall.Info.Address,
                Scope = firewall.PolicyScope,
                State = FirewallChangeState.Pending,
                Deadline = DateTimeOffset.UtcNow + window,
                RollbackGuarantee = FirewallRollbackGuarantee.ClientWhileReachable,
                Timer = "client",
                Description = description,
            };
            Describe(result, change);
            await CheckManagementPathAsync(result, window).ConfigureAwait(false);
            if (result.ManagementPathAnswers == false)
            {
                FirewallChange undone = await FirewallClientGuard.RollBackNowAsync(firewall, change, previous,
                    $"A new management connection failed right after the change ({result.ChangeNote}): the previous policy was sent back at once.", CancellationToken.None).ConfigureAwait(false);
                result.ChangeState = undone.State;
                result.ChangeNote = undone.Reason;
                return result;
            }

            guard.Add(firewall, change, previous, settledByTimer);
            return result;
        }

        private static void Describe(FirewallPolicyResult result, FirewallChange change)
        {
            result.ChangeId = change.ChangeId;
            result.ChangeState = change.State;
            result.ConfirmDeadline = change.Deadline;
            result.RollbackGuarantee = change.RollbackGuarantee;
        }

        // A held connection proves little (stateful firewalls keep it open); a new one is what the
        // administrator needs next. Without a driver check, a fresh read through the driver is the
        // best that can be done, and the note says which was used.
        private async Task CheckManagementPathAsync(FirewallPolicyResult result, TimeSpan window)
        {
            using (var limit = new CancellationTokenSource(CheckTimeFor(window)))
            {
                if (firewall is IManagementPathCheck check)
                {
                    string problem;
                    try
                    {
                        problem = await check.CheckNewConnectionAsync(limit.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        problem = "a new management connection did not get in within " + CheckTimeFor(window).TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";
                    }

                    result.ManagementPathAnswers = problem == null;
                    result.ChangeNote = problem == null ? "A new management connection got in after the change." : "After the change " + problem + ".";
                    return;
                }

                try
                {
                    await firewall.GetPolicyAsync(limit.Token).ConfigureAwait(false);
                    result.ManagementPathAnswers = true;
                    result.ChangeNote = "The device still answered through the connection after the change (this driver cannot try a new connection).";
                }
                catch (Exception error) when (error is ApplianceException || error is OperationCanceledException)
                {
                    result.ManagementPathAnswers = false;
                    result.ChangeNote = "After the change the device did not answer through the connection: " + error.Message;
                }
            }
        }
    }
}
