namespace RemoteOps.Core.Firewall
{
    /// <summary>Where a change applied with a confirm window stands.</summary>
    public enum FirewallChangeState
    {
        /// <summary>Applied; rolled back at the deadline unless confirmed first.</summary>
        Pending,

        /// <summary>Kept: confirmed in time (Confirm-RoFirewallChange).</summary>
        Confirmed,

        /// <summary>The policy from before the change was put back (deadline passed, Undo-RoFirewallChange, or the management path was lost).</summary>
        RolledBack,

        /// <summary>Putting the previous policy back was tried and failed: look at the firewall now.</summary>
        RollbackFailed,
    }
}
