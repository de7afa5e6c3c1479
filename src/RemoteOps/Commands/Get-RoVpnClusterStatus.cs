using System.Management.Automation;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Shows the appliance's high-availability state: nodes, leader, VIP owner, reachability.</summary>
    [Cmdlet(VerbsCommon.Get, "RoVpnClusterStatus")]
    [OutputType(typeof(VpnClusterStatus))]
    public sealed class GetRoVpnClusterStatusCommand : VpnCmdletBase
    {
        /// <inheritdoc />
        protected override void EndProcessing()
        {
            VpnConnection connection = ResolvedConnection;
            var status = Run(token => connection.Appliance.GetClusterStatusAsync(token), connection);
            if (status != null)
            {
                WriteObject(status);
            }
        }
    }
}
