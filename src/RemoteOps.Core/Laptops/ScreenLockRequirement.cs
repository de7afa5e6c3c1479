namespace RemoteOps.Core.Laptops
{
    /// <summary>The desktop's screen lock.</summary>
    public sealed class ScreenLockRequirement
    {
        /// <summary>True when the screen must lock when idle.</summary>
        public bool Required { get; set; } = true;

        /// <summary>The longest idle time before locking, in seconds, or null for any.</summary>
        public int? MaxIdleSeconds { get; set; }
    }
}
