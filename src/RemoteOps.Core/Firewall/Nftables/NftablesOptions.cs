using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Firewall.Nftables
{
    /// <summary>Which nftables table RemoteOps owns on the host, and how nft is run.</summary>
    public sealed class NftablesOptions
    {
        /// <summary>The table's default name.</summary>
        public const string DefaultTableName = "remoteops";

        /// <summary>The one table RemoteOps writes; every other table is left alone.</summary>
        [DriverSetting("The nftables table RemoteOps owns and replaces (default remoteops); other tables are never touched.")]
        public string TableName { get; set; } = DefaultTableName;

        /// <summary>The table's family: inet (IPv4 and IPv6 packets) or ip (IPv4 only).</summary>
        [DriverSetting("The table's family: inet (default) or ip.")]
        public string Family { get; set; } = "inet";

        /// <summary>Run nft through 'sudo -n' (the default for any account but root).</summary>
        [DriverSetting("Run nft through 'sudo -n' (ignored for root).")]
        public bool UseSudo { get; set; } = true;

        /// <summary>Where the host keeps the saved table and the state of a change waiting for confirmation; empty: ~/.remoteops/nftables of the SSH account.</summary>
        [DriverSetting("Where the host keeps the table saved for a commit-confirm rollback (absolute path; default ~/.remoteops/nftables of the SSH account).")]
        public string RollbackDirectory { get; set; } = string.Empty;
    }
}
