using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// The client-side rollback for a firewall that has no timer of its own
    /// (<see cref="FirewallRollbackGuarantee.ClientWhileReachable"/>): the pending changes of one
    /// PowerShell session, each with the policy from before it and a timer in this process that
    /// sends that policy back at the deadline unless the change was confirmed. It works for any
    /// <see cref="IFirewall"/> and knows nothing of a particular device.
    /// </summary>
    /// <remarks>
    /// What it cannot do, and says so: nothing happens once this process ends, and nothing when
    /// the device no longer answers the connection the change was made through.
    /// </remarks>
    public sealed class FirewallClientGuard : IDisposable
    {
        private readonly object gate = new object();
        private readonly List<Entry> entries = new List<Entry>();
        private bool disposed;

        /// <summary>The changes this session still holds, pending or settled by the timer since last asked, of one firewall (or all when null).</summary>
        public IReadOnlyList<FirewallChange> Changes(IFirewall firewall)
        {
            lock (gate)
            {
                return entries.Where(e => firewall == null || e.Firewall == firewall).Select(e => e.Change.Clone()).ToList();
            }
        }

        /// <summary>The pending change on <paramref name="firewall"/>, or null.</summary>
        public FirewallChange Pending(IFirewall firewall)
        {
            lock (gate)
            {
                return entries.FirstOrDefault(e => e.Firewall == firewall && e.Change.State == FirewallChangeState.Pending)?.Change.Clone();
            }
        }

        /// <summary>Holds a change just applied: at <see cref="FirewallChange.Deadline"/> <paramref name="previous"/> is sent back unless the change was confirmed or undone.</summary>
        /// <param name="firewall">The firewall changed.</param>
        /// <param name="change">The change (pending).</param>
        /// <param name="previous">The policy from before the change.</param>
        /// <param name="settledByTimer">Called (on a timer thread) with the change after the deadline's rollback, for the audit log; may be null.</param>
        public void Add(IFirewall firewall, FirewallChange change, FirewallPolicy previous, Action<FirewallChange> settledByTimer)
        {
            if (firewall == null || change == null || previous == null)
            {
                throw new ArgumentNullException(firewall == null ? nameof(firewall) : change == null ? nameof(change) : nameof(previous));
            }

            var entry = new Entry { Firewall = firewall, Change = change.Clone(), Previous = previous, SettledByTimer = settledByTimer };
            TimeSpan due = change.Deadline - DateTimeOffset.UtcNow;
            lock (gate)
            {
                if (disposed)
                {
                    throw new ObjectDisposedException(nameof(FirewallClientGuard));
                }

                entries.Add(entry);
                entry.Timer = new Timer(_ => Fire(entry), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
            }
        }

        /// <summary>Keeps the change: the timer is stopped and the previous policy forgotten.</summary>
        public FirewallChange Confirm(IFirewall firewall, string changeId)
        {
            Entry entry = Claim(firewall, changeId, out FirewallChange ended);
            if (entry == null)
            {
                return ended;
            }

            entry.Change.State = FirewallChangeState.Confirmed;
            entry.Change.Settled = DateTimeOffset.UtcNow;
            return entry.Change.Clone();
        }

        /// <summary>Rolls the change back now by sending the previous policy.</summary>
        public async Task<FirewallChange> UndoAsync(IFirewall firewall, string changeId, CancellationToken cancellationToken)
        {
            Entry entry = Claim(firewall, changeId, out FirewallChange ended);
            if (entry == null)
            {
                return ended;
            }

            return await RollBackAsync(entry, "Undone (Undo-RoFirewallChange).", cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Sends <paramref name="previous"/> back at once (the change cut the management path); the result says whether it took.</summary>
        public static async Task<FirewallChange> RollBackNowAsync(IFirewall firewall, FirewallChange change, FirewallPolicy previous, string reason, CancellationToken cancellationToken)
        {
            var entry = new Entry { Firewall = firewall, Change = change.Clone(), Previous = previous };
            return await RollBackAsync(entry, reason, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Stops every timer; pending changes are then no longer rolled back (the session is ending).</summary>
        public void Dispose()
        {
            lock (gate)
            {
                disposed = true;
                foreach (Entry entry in entries)
                {
                    entry.Timer?.Dispose();
                }

                entries.Clear();
            }
        }

        private Entry Claim(IFirewall firewall, string changeId, out FirewallChange ended)
        {
            lock (gate)
            {
                Entry entry = entries.FirstOrDefault(e => e.Firewall == firewall && e.Change.ChangeId == changeId);
                if (entry == null)
                {
                    throw new ApplianceException(ApplianceErrorKind.NotFound,
                        $"This PowerShell session holds no change {changeId} on {firewall.Info.Address}.",
                        "A client-side confirm window lives in the session that made the change: confirm or undo it there. List this session's changes with Get-RoFirewallChange.");
                }

                entries.Remove(entry);
                entry.Timer?.Dispose();
                if (entry.Change.State != FirewallChangeState.Pending)
                {
                    ended = entry.Change.Clone();
                    return null;
                }

                ended = null;
                return entry;
            }
        }

        private void Fire(Entry entry)
        {
            lock (gate)
            {
                if (!entries.Contains(entry) || entry.Change.State != FirewallChangeState.Pending)
                {
                    return;
                }

                // Claimed by the timer: a confirm arriving now finds a settled change.
                entry.Change.State = FirewallChangeState.RolledBack;
            }

            FirewallChange result;
            try
            {
                result = RollBackAsync(entry, "Not confirmed by the deadline: this session sent the previous policy back.", CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception error)
            {
                result = entry.Change.Clone();
                result.State = FirewallChangeState.RollbackFailed;
                result.Reason = error.Message;
            }

            lock (gate)
            {
                entry.Change = result.Clone();
            }

            entry.SettledByTimer?.Invoke(result);
        }

        private static async Task<FirewallChange> RollBackAsync(Entry entry, string reason, CancellationToken cancellationToken)
        {
            FirewallChange change = entry.Change.Clone();
            change.Settled = DateTimeOffset.UtcNow;
            try
            {
                var operations = new FirewallPolicyOperations(entry.Firewall);
                var (desired, plan) = await operations.PlanAsync(entry.Previous, cancellationToken).ConfigureAwait(false);
                await operations.ApplyAsync(desired, plan, null, cancellationToken).ConfigureAwait(false);
                change.State = FirewallChangeState.RolledBack;
                change.Reason = reason;
            }
            catch (Exception error) when (!(error is OperationCanceledException))
            {
                change.State = FirewallChangeState.RollbackFailed;
                change.Reason = $"{reason} Sending the previous policy failed: {error.Message}";
            }

            return change;
        }

        private sealed class Entry
        {
            internal IFirewall Firewall { get; set; }

            internal FirewallChange Change { get; set; }

            internal FirewallPolicy Previous { get; set; }

            internal Timer Timer { get; set; }

            internal Action<FirewallChange> SettledByTimer { get; set; }
        }
    }
}
