using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Shows active sessions per node against the licensed or configured maximum.</summary>
    [Cmdlet(VerbsCommon.Get, "RoVpnCapacity", HelpUri = HelpLinks.CmdletReference + "Get-RoVpnCapacity.md")]
    [OutputType(typeof(VpnCapacity))]
    public sealed class GetRoVpnCapacityCommand : VpnCmdletBase
    {
        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.VpnCapacity;

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            ApplianceConnection connection = ResolvedConnection;
            var capacity = RunOrWriteError(token => Vpn.GetCapacityAsync(token), connection);
            if (capacity != null)
            {
                WriteObject(capacity, enumerateCollection: true);
            }
        }
    }
}
