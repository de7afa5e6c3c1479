using System.Collections.Generic;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>What Set-RoBandwidthPolicy did on one device.</summary>
    public sealed class BandwidthPolicyResult
    {
        /// <summary>The device (as reached).</summary>
        public string Appliance { get; set; }

        /// <summary>The managed part ("tc HTB on eth1 and nftables table inet remoteops_shaping").</summary>
        public string Scope { get; set; }

        /// <summary>Whether anything was sent.</summary>
        public BandwidthPolicyOutcome Outcome { get; set; }

        /// <summary>The shaped interfaces.</summary>
        public IReadOnlyList<string> Interfaces { get; set; } = new string[0];

        /// <summary>Classes added (counted once per interface).</summary>
        public int Added { get; set; }

        /// <summary>Classes changed.</summary>
        public int Changed { get; set; }

        /// <summary>Classes moved only (their place in the match order).</summary>
        public int Moved { get; set; }

        /// <summary>Classes removed.</summary>
        public int Removed { get; set; }

        /// <summary>Classes left as they were.</summary>
        public int Unchanged { get; set; }

        /// <summary>One line per change (+ add, ~ change, &gt; move, - remove), links and classes.</summary>
        public IReadOnlyList<string> Changes { get; set; } = new string[0];

        /// <summary>The readable diff (what -WhatIf prints).</summary>
        public string PlanText { get; set; }
    }
}
