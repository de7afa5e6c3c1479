namespace RemoteOps.Core.Firewall
{
    /// <summary>How setting a policy ended.</summary>
    public enum FirewallPolicyOutcome
    {
        /// <summary>The firewall already held the policy; nothing was sent.</summary>
        NoChange,

        /// <summary>The policy was applied and read back.</summary>
        Updated,

        /// <summary>-WhatIf or a declined confirmation: planned only.</summary>
        Planned,
    }
}
