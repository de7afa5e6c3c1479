namespace RemoteOps.Core.Laptops
{
    /// <summary>A NetworkManager openconnect VPN profile that must be present.</summary>
    public sealed class VpnProfileRequirement
    {
        /// <summary>The connection's name (id) in NetworkManager.</summary>
        public string Name { get; set; }

        /// <summary>The VPN gateway, host name or host:port.</summary>
        public string Gateway { get; set; }

        /// <summary>The openconnect protocol: anyconnect, nc, pulse, fortinet, gp or array.</summary>
        public string Protocol { get; set; } = "anyconnect";

        /// <summary>The gateway's pinned certificate ("pin-sha256:..."), or null when not pinned.</summary>
        public string ServerCertificatePin { get; set; }
    }
}
