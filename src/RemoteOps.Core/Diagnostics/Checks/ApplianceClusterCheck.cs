using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>The appliance is up and, in a cluster, every node answers (HA healthy).</summary>
    public sealed class ApplianceClusterCheck : IRemoteAccessCheck
    {
        private readonly IVpnAppliance vpn;

        /// <summary>Reads the cluster status of <paramref name="vpn"/>.</summary>
        public ApplianceClusterCheck(IVpnAppliance vpn)
        {
            this.vpn = vpn ?? throw new ArgumentNullException(nameof(vpn));
            Target = ApplianceTarget.Of(vpn);
        }

        /// <inheritdoc />
        public string Name => "Appliance";

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            VpnClusterStatus status = await vpn.GetClusterStatusAsync(cancellationToken).ConfigureAwait(false);
            string evidence = string.Join("; ", status.Nodes.Select(n =>
                $"{n.Name} {n.Role}{(n.Reachable ? string.Empty : " UNREACHABLE")}{(n.Status.Length > 0 ? " (" + string.Join(", ", n.Status) + ")" : string.Empty)}"));
            if (status.Nodes.Length > 0 && status.Nodes.All(n => !n.Reachable))
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.ApplianceDown, evidence,
                    $"Check that the VPN service on {Target} is running (its console, power, network); until it answers nobody signs in through it.");
            }

            if (status.Nodes.Any(n => !n.Reachable))
            {
                string down = string.Join(", ", status.Nodes.Where(n => !n.Reachable).Select(n => n.Name));
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Warning, RemoteAccessCause.ClusterDegraded, evidence,
                    $"Tell the appliance team that {down} of {status.ClusterName} is unreachable (Get-RoVpnClusterStatus); the other nodes carry the sessions meanwhile.");
            }

            return RemoteAccessCheckResult.Passed(Name, Target, evidence.Length == 0 ? "The appliance answered." : evidence);
        }
    }
}
