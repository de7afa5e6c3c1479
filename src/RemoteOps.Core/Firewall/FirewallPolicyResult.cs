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

        /// <summary>Where the managed part was saved before the change, or null.</summary>
        public string BackupPath { get; set; }

        /// <summary>The readable diff (what -WhatIf prints).</summary>
        public string PlanText { get; set; }
    }
}
