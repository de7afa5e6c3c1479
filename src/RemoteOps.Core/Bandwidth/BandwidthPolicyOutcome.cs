namespace RemoteOps.Core.Bandwidth
{
    /// <summary>How setting a shaping policy ended.</summary>
    public enum BandwidthPolicyOutcome
    {
        /// <summary>The device already shaped as desired; nothing was sent.</summary>
        NoChange,

        /// <summary>The policy was applied and read back.</summary>
        Updated,

        /// <summary>-WhatIf or a declined confirmation: planned only.</summary>
        Planned,
    }
}
