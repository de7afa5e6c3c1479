using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Vpn
{
    /// <summary>Ends every session of a user, for drivers whose appliance does not do it when a user is disabled or removed.</summary>
    internal static class VpnSessionCleanup
    {
        internal static async Task EndAllAsync(IVpnAppliance appliance, string userName, CancellationToken cancellationToken)
        {
            foreach (VpnSession session in await appliance.GetSessionsAsync(userName, cancellationToken).ConfigureAwait(false))
            {
                await appliance.DisconnectSessionAsync(session, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
