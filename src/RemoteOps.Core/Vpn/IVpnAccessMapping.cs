using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// A VPN appliance that can say whether its configuration gives a user access: the sign-in
    /// realm's role-mapping rules (Connect Secure) or the SSL-VPN authentication rules and the
    /// firewall policies from ssl.root (FortiGate).
    /// Test-RoRemoteAccess reads the rules once, at the same time as the user, and evaluates them
    /// for the user it found.
    /// </summary>
    public interface IVpnAccessMapping
    {
        /// <summary>Reads the rules that decide access (as few requests as the appliance allows, made together).</summary>
        Task<VpnAccessRules> ReadAccessRulesAsync(CancellationToken cancellationToken);
    }
}
