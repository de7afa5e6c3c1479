namespace RemoteOps.Core.Laptops.Reports
{
    /// <summary>How one laptop fared over all checks.</summary>
    public sealed class HostSummary
    {
        /// <summary>The laptop as the results name it.</summary>
        public string ComputerName { get; set; }

        /// <summary>Checks met.</summary>
        public int Compliant { get; set; }

        /// <summary>Checks not met.</summary>
        public int NonCompliant { get; set; }

        /// <summary>Checks that could not be made.</summary>
        public int Error { get; set; }

        /// <summary>Checks that do not apply.</summary>
        public int NotApplicable { get; set; }

        /// <summary>Compliant, NonCompliant (any check not met) or Error (none failed, but at least one could not be made).</summary>
        public ComplianceStatus Overall => NonCompliant > 0 ? ComplianceStatus.NonCompliant : Error > 0 ? ComplianceStatus.Error : ComplianceStatus.Compliant;
    }
}
