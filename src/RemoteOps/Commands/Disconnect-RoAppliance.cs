using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Closes appliance connections (HTTPS connections or SSH session) and forgets them in the session.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "RoAppliance", HelpUri = HelpLinks.CmdletReference + "Disconnect-RoAppliance.md", DefaultParameterSetName = OneSet)]
    [OutputType(typeof(void))]
    public sealed class DisconnectRoApplianceCommand : ApplianceDisconnectCmdletBase
    {
        private const string OneSet = "One";
        private const string AllSet = "All";

        /// <summary>Close every connection of the session.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        /// <inheritdoc />
        protected override ApplianceCapabilities DefaultCapability => ApplianceCapabilities.None;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!All)
            {
                base.ProcessRecord();
                return;
            }

            ApplianceConnections connections = ApplianceConnections.Of(this);
            foreach (ApplianceConnection connection in connections.All)
            {
                Close(connections, connection);
            }
        }
    }
}
