namespace RemoteOps.Core.Firewall
{
    /// <summary>What stands behind the rollback of a change applied with a confirm window: what the driver can promise, no more.</summary>
    public enum FirewallRollbackGuarantee
    {
        /// <summary>
        /// A timer on the device itself puts the previous policy back at the deadline. It fires
        /// when the change cut the management path, when the PowerShell session that made the
        /// change has ended, and when nobody is connected.
        /// </summary>
        HostTimer,

        /// <summary>
        /// The PowerShell session that made the change puts the previous policy back, by sending
        /// it to the device: at once when a new management connection fails after the change,
        /// and at the deadline. It works only while that session runs and the device still
        /// answers through the connection; a change that cuts every path is not rolled back.
        /// </summary>
        ClientWhileReachable,
    }
}
