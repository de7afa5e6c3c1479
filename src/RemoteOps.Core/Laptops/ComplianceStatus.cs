namespace RemoteOps.Core.Laptops
{
    /// <summary>How one laptop fared against one check of a baseline.</summary>
    public enum ComplianceStatus
    {
        /// <summary>The laptop meets the requirement; the evidence shows why.</summary>
        Compliant,

        /// <summary>The laptop does not meet the requirement; the evidence shows what was found.</summary>
        NonCompliant,

        /// <summary>The check could not be made (host unreachable, command failed, no permission).</summary>
        Error,

        /// <summary>The requirement does not apply to this laptop (for example no swap device to encrypt).</summary>
        NotApplicable,
    }
}
