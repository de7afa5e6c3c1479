using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// Optional, for an <see cref="IFirewall"/> that can roll a change back by itself: a timer on
    /// the device that restores the managed part saved before the change unless the change is
    /// confirmed in time (<see cref="FirewallRollbackGuarantee.HostTimer"/>). The pending change
    /// is kept on the device, so any later connection can find, confirm or undo it. A firewall
    /// without this interface gets the client-side guard (<see cref="FirewallClientGuard"/>).
    /// </summary>
    public interface IFirewallCommitConfirm
    {
        /// <summary>
        /// Before the change: keeps <paramref name="savedExport"/> (the device's export of the
        /// managed part now, from <see cref="IFirewall.ExportPolicyAsync"/>; empty when there is
        /// none) on the device and starts a timer that restores it at <paramref name="window"/>
        /// from now. Refused with InUse when a change is already pending on the managed part.
        /// </summary>
        Task<FirewallChange> ArmRollbackAsync(string changeId, TimeSpan window, string description, string savedExport, CancellationToken cancellationToken);

        /// <summary>
        /// The pending change (at most one), and the changes the device rolled back by itself
        /// that no call has reported yet: these are handed out once (to audit them) and then
        /// forgotten on the device.
        /// </summary>
        Task<IReadOnlyList<FirewallChange>> GetChangesAsync(CancellationToken cancellationToken);

        /// <summary>Keeps the change: stops the timer and removes the saved copy. A change that is no longer pending is reported as it ended (RolledBack), or NotFound.</summary>
        Task<FirewallChange> ConfirmAsync(string changeId, CancellationToken cancellationToken);

        /// <summary>Rolls the change back now: stops the timer and restores the saved copy in one step.</summary>
        Task<FirewallChange> UndoAsync(string changeId, CancellationToken cancellationToken);
    }
}
