using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// Optional, for a firewall driver that can tell whether a new management connection still
    /// gets in, the way its administrator would connect next (an SSH login, a TLS handshake and a
    /// request). A held connection says little: stateful firewalls keep established connections
    /// open after a change that blocks new ones.
    /// </summary>
    public interface IManagementPathCheck
    {
        /// <summary>Null when a new management connection works; otherwise what failed, in words. Never throws for an unreachable device.</summary>
        Task<string> CheckNewConnectionAsync(CancellationToken cancellationToken);
    }
}
