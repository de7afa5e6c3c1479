namespace RemoteOps.Core.Firewall
{
    /// <summary>The transport protocol a rule matches.</summary>
    public enum FirewallProtocol
    {
        /// <summary>Every protocol (no ports allowed).</summary>
        Any,

        /// <summary>TCP, optionally limited to destination ports.</summary>
        Tcp,

        /// <summary>UDP, optionally limited to destination ports.</summary>
        Udp,

        /// <summary>ICMP (IPv4).</summary>
        Icmp,
    }
}
