namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// One compliance check: whether a baseline asks for it, how to judge a laptop's evidence,
    /// and how to repair a laptop that fails it. Checks read only the evidence gathered by
    /// <see cref="LaptopEvidenceScript"/>; adding a check is one class and an entry in
    /// <see cref="LaptopCheckRegistry"/> (and its section in the script when it needs new evidence).
    /// </summary>
    public interface ILaptopCheck
    {
        /// <summary>The stable identifier, as results, reports and docs name the check ("DiskEncryption").</summary>
        string Id { get; }

        /// <summary>The check in words ("Root and swap are LUKS-encrypted").</summary>
        string Title { get; }

        /// <summary>True when <paramref name="baseline"/> asks for this check.</summary>
        bool Applies(LaptopBaseline baseline);

        /// <summary>What the baseline asks for, in words.</summary>
        string Expected(LaptopBaseline baseline);

        /// <summary>Judges the evidence against the baseline.</summary>
        LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence);

        /// <summary>
        /// The repair for a laptop that failed the check, or null when RemoteOps cannot repair it
        /// (a disk is never re-encrypted in place). Called only for non-compliant verdicts.
        /// </summary>
        LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence);
    }
}
