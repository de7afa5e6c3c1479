namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// A VPN appliance that says how many sessions one user may hold at the same time (ocserv's
    /// max-same-clients). Test-RoRemoteAccess compares the user's sessions against it.
    /// </summary>
    public interface IVpnSessionLimit
    {
        /// <summary>The most sessions one user may hold, or null when unlimited or not known.</summary>
        int? MaximumSessionsPerUser { get; }

        /// <summary>Where the limit was read, for evidence ("max-same-clients in /etc/ocserv/ocserv.conf").</summary>
        string SessionLimitSource { get; }
    }
}
