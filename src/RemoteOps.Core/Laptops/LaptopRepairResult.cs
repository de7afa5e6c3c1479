using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// One check on one laptop after Repair-RoLaptopCompliance: what was done, and how the laptop
    /// fared when it was checked again afterwards.
    /// </summary>
    public sealed class LaptopRepairResult : HostResult
    {
        /// <summary>The check's identifier ("SshHardening").</summary>
        public string Check { get; set; }

        /// <summary>The check in words.</summary>
        public string Title { get; set; }

        /// <summary>What was done.</summary>
        public LaptopRepairOutcome Outcome { get; set; }

        /// <summary>The repair step in words (as -WhatIf and the audit log show it), or null when none was needed or possible.</summary>
        public string Step { get; set; }

        /// <summary>How the laptop fared against the check before the repair.</summary>
        public ComplianceStatus ComplianceBefore { get; set; }

        /// <summary>How the laptop fared against the check afterwards (the check made again after a repair; otherwise the first one).</summary>
        public ComplianceStatus Compliance { get; set; }

        /// <summary>What the last check read on the laptop (never a secret).</summary>
        public string Evidence { get; set; }

        /// <summary>What the baseline asks for, in words.</summary>
        public string Expected { get; set; }
    }
}
