using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Bandwidth.LinuxTc
{
    /// <summary>Which interfaces of a Linux gateway RemoteOps shapes, and how tc and nft are run.</summary>
    public sealed class LinuxTcOptions
    {
        /// <summary>The classification table's default name.</summary>
        public const string DefaultTableName = "remoteops_shaping";

        /// <summary>The interfaces whose outgoing traffic is shaped; their root queueing discipline becomes RemoteOps's.</summary>
        [DriverSetting("The interfaces whose outgoing traffic is shaped (required), e.g. @('eth1'); RemoteOps replaces their root queueing discipline.")]
        public string[] Interface { get; set; }

        /// <summary>The nftables table that sorts packets into classes; every other table is left alone.</summary>
        [DriverSetting("The nftables table (family inet) that sorts packets into classes (default remoteops_shaping); other tables are never touched.")]
        public string TableName { get; set; } = DefaultTableName;

        /// <summary>Run tc and nft through 'sudo -n' (the default for any account but root).</summary>
        [DriverSetting("Run tc and nft through 'sudo -n' (ignored for root).")]
        public bool UseSudo { get; set; } = true;
    }
}
