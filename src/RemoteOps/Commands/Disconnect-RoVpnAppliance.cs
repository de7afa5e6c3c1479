using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Closes a VPN appliance connection (its HTTPS connections or SSH session); kept from 0.1 beside Disconnect-RoAppliance.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "RoVpnAppliance", HelpUri = HelpLinks.CmdletReference + "Disconnect-RoVpnAppliance.md")]
    [OutputType(typeof(void))]
    public sealed class DisconnectRoVpnApplianceCommand : ApplianceDisconnectCmdletBase
    {
        /// <inheritdoc />
        protected override ApplianceCapabilities DefaultCapability => ApplianceCapabilities.VpnUsers;
    }
}
