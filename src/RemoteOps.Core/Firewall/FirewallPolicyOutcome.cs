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

        /// <summary>The change failed on this firewall; the result's ChangeNote says what it holds now (restored, or unknown).</summary>
        Failed,

        /// <summary>Applied, then put back because the change failed on another firewall (-StopOnFirstFailure).</summary>
        RolledBack,

        /// <summary>Not tried: the change failed on another firewall first (-StopOnFirstFailure).</summary>
        NotRun,
    }
}
