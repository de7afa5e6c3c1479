using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// One check on one laptop. <see cref="HostResult.Status"/> says whether the host could be
    /// worked on at all; <see cref="Compliance"/> says how the laptop fared against the check.
    /// </summary>
    public sealed class LaptopComplianceResult : HostResult
    {
        /// <summary>The check's stable identifier, as the baseline and docs name it ("DiskEncryption").</summary>
        public string Check { get; set; }

        /// <summary>The check in words, for reports ("Root and swap are LUKS-encrypted").</summary>
        public string Title { get; set; }

        /// <summary>How the laptop fared against the check.</summary>
        public ComplianceStatus Compliance { get; set; }

        /// <summary>What was read on the laptop that the verdict rests on (never a secret).</summary>
        public string Evidence { get; set; }

        /// <summary>What the baseline asks for, in words.</summary>
        public string Expected { get; set; }

        /// <summary>True when Repair-RoLaptopCompliance can fix a non-compliant result on the host.</summary>
        public bool CanRepair { get; set; }
    }
}
