using System;
using System.Collections.Generic;

namespace RemoteOps.Core.Firewall
{
    /// <summary>What Set-RoFirewallPolicy did on one firewall.</summary>
    public sealed class FirewallPolicyResult
    {
        /// <summary>The firewall (as reached).</summary>
        public string Appliance { get; set; }

        /// <summary>The managed part ("nftables table inet remoteops").</summary>
        public string Scope { get; set; }

        /// <summary>Whether anything was sent.</summary>
        public FirewallPolicyOutcome Outcome { get; set; }

        /// <summary>Rules added.</summary>
        public int Added { get; set; }

        /// <summary>Rules changed.</summary>
        public int Changed { get; set; }

        /// <summary>Rules moved only.</summary>
        public int Moved { get; set; }

        /// <summary>Rules removed.</summary>
        public int Removed { get; set; }

        /// <summary>Rules left as they were.</summary>
        public int Unchanged { get; set; }

        /// <summary>One line per change (+ add, ~ change, &gt; move, - remove), objects and rules.</summary>
        public IReadOnlyList<string> Changes { get; set; } = new string[0];

        /// <summary>Where the managed part was saved before the change, in the device's own format, or null.</summary>
        public string BackupPath { get; set; }

        /// <summary>Where the managed part was saved before the change as a policy file (Set-RoFirewallPolicy -Path reads it), or null.</summary>
        public string BackupPolicyPath { get; set; }

        /// <summary>The readable diff (what -WhatIf prints).</summary>
        public string PlanText { get; set; }

        /// <summary>With -ConfirmWithinSec: the change's id for Confirm-RoFirewallChange and Undo-RoFirewallChange; otherwise null.</summary>
        public string ChangeId { get; set; }

        /// <summary>With -ConfirmWithinSec: Pending (rolled back at ConfirmDeadline unless confirmed), or RolledBack at once when the management path was lost; otherwise null.</summary>
        public FirewallChangeState? ChangeState { get; set; }

        /// <summary>With -ConfirmWithinSec: when the change is rolled back unless confirmed (this computer's clock).</summary>
        public DateTimeOffset? ConfirmDeadline { get; set; }

        /// <summary>With -ConfirmWithinSec: what stands behind the rollback (HostTimer or ClientWhileReachable).</summary>
        public FirewallRollbackGuarantee? RollbackGuarantee { get; set; }

        /// <summary>With -ConfirmWithinSec: whether a new management connection still got in right after the change (null when the driver cannot tell).</summary>
        public bool? ManagementPathAnswers { get; set; }

        /// <summary>With -ConfirmWithinSec: what the check of the management path found, or why the change was rolled back at once; otherwise null.</summary>
        public string ChangeNote { get; set; }
    }
}
