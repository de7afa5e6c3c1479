using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Shows the appliance's high-availability state: nodes, leader, VIP owner, reachability.</summary>
    [Cmdlet(VerbsCommon.Get, "RoVpnClusterStatus", HelpUri = HelpLinks.CmdletReference + "Get-RoVpnClusterStatus.md")]
    [OutputType(typeof(VpnClusterStatus))]
    public sealed class GetRoVpnClusterStatusCommand : VpnCmdletBase
    {
        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.VpnCluster;

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            ApplianceConnection connection = ResolvedConnection;
            var status = RunOrWriteError(token => Vpn.GetClusterStatusAsync(token), connection);
            if (status != null)
            {
                WriteObject(status);
            }
        }
    }
}
