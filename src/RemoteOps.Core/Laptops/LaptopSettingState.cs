namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// One check's state on one laptop, as the desired-state planner compares it: the current
    /// state says whether the laptop meets the check; the desired state of a repairable check is
    /// "meets it".
    /// </summary>
    public sealed class LaptopSettingState
    {
        /// <summary>The check's identifier; the planner's key.</summary>
        public string Check { get; set; }

        /// <summary>True when the laptop meets the check.</summary>
        public bool Compliant { get; set; }

        /// <summary>What the laptop shows, or what the baseline asks for in a desired state.</summary>
        public string Description { get; set; }
    }
}
