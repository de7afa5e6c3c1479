namespace RemoteOps.Core.Vpn
{
    /// <summary>A user group as a configuration backup describes it: only what the driver can create again.</summary>
    public sealed class BackupGroup
    {
        /// <summary>The group's name.</summary>
        public string Name { get; set; }

        /// <summary>
        /// Why the group cannot be created from the backup (for example a FortiGate group of a
        /// kind the driver does not manage), or null when it can. Such a group is reported, not made.
        /// </summary>
        public string CannotCreateBecause { get; set; }
    }
}
