using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>The appliance's sessions against its licensed or configured ceiling ("licence full").</summary>
    public sealed class ApplianceCapacityCheck : IRemoteAccessCheck
    {
        private readonly IVpnAppliance vpn;

        /// <summary>Reads the capacity of <paramref name="vpn"/>.</summary>
        public ApplianceCapacityCheck(IVpnAppliance vpn)
        {
            this.vpn = vpn ?? throw new ArgumentNullException(nameof(vpn));
            Target = ApplianceTarget.Of(vpn);
        }

        /// <inheritdoc />
        public string Name => "Capacity";

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            IReadOnlyList<VpnCapacity> nodes = await vpn.GetCapacityAsync(cancellationToken).ConfigureAwait(false);
            string evidence = nodes.Count == 0
                ? "The appliance reported no nodes."
                : string.Join("; ", nodes.Select(n => n.MaximumSessions.HasValue
                    ? $"{n.Node}: {n.ActiveSessions} of {n.MaximumSessions} sessions ({n.LimitSource})"
                    : $"{n.Node}: {n.ActiveSessions} sessions, no limit"));

            // Full only when no node could take one more session: a cluster balances sign-ins over its nodes.
            bool full = nodes.Count > 0 && nodes.All(n => n.LoginsRemaining == 0);
            if (full)
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.LicenceFull, evidence,
                    $"Nobody else can sign in until sessions end: free idle sessions (Get-RoVpnSession | Disconnect-RoVpnSession) or raise the licence or max-clients of {Target}; tell the user to try again later.");
            }

            return RemoteAccessCheckResult.Passed(Name, Target, evidence);
        }
    }
}
