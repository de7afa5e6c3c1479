using System;

namespace RemoteOps.Core.Firewall
{
    /// <summary>A firewall change applied with a confirm window (Set-RoFirewallPolicy -ConfirmWithinSec), as Get-, Confirm- and Undo-RoFirewallChange report it.</summary>
    public sealed class FirewallChange
    {
        /// <summary>The change's id (12 hex digits), given to Confirm-RoFirewallChange and Undo-RoFirewallChange.</summary>
        public string ChangeId { get; set; }

        /// <summary>The firewall (as reached).</summary>
        public string Appliance { get; set; }

        /// <summary>The managed part ("nftables table inet remoteops").</summary>
        public string Scope { get; set; }

        /// <summary>Where the change stands.</summary>
        public FirewallChangeState State { get; set; }

        /// <summary>When the change is rolled back unless confirmed, in this computer's clock (a host timer counts in the host's clock; the difference is taken out).</summary>
        public DateTimeOffset Deadline { get; set; }

        /// <summary>What puts the previous policy back.</summary>
        public FirewallRollbackGuarantee RollbackGuarantee { get; set; }

        /// <summary>How the rollback is scheduled: "systemd-run" or "setsid" (a timer process on the host), or "client" (this PowerShell session).</summary>
        public string Timer { get; set; }

        /// <summary>What the change was ("Replace the managed rules with 3 rule(s)").</summary>
        public string Description { get; set; }

        /// <summary>When the state last changed (rolled back, confirmed), or null while pending.</summary>
        public DateTimeOffset? Settled { get; set; }

        /// <summary>Why it was rolled back or why the rollback failed, or null.</summary>
        public string Reason { get; set; }

        /// <summary>A copy.</summary>
        public FirewallChange Clone() => (FirewallChange)MemberwiseClone();

        /// <inheritdoc />
        public override string ToString() => $"{ChangeId} on {Appliance}: {State}";
    }
}
