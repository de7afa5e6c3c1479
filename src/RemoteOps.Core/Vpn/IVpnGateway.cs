using System;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// A VPN appliance that knows the address its users' VPN clients connect to, so that
    /// Test-RoRemoteAccess can check the gateway (name, port, certificate) and try a real sign-in.
    /// </summary>
    public interface IVpnGateway
    {
        /// <summary>The https:// address users' VPN clients connect to.</summary>
        Uri GatewayAddress { get; }

        /// <summary>How its certificate is trusted when checked from here (the connection's own trust where it has one).</summary>
        TlsTrust GatewayTrust { get; }

        /// <summary>openconnect's name for the gateway's protocol ("anyconnect" for ocserv), or null when RemoteOps does not sign in to it with openconnect.</summary>
        string OpenconnectProtocol { get; }
    }
}
