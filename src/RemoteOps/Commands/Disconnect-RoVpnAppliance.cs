using System.Management.Automation;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Closes a VPN appliance connection (its HTTPS connections or SSH session) and clears it as the default.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "RoVpnAppliance")]
    [OutputType(typeof(void))]
    public sealed class DisconnectRoVpnApplianceCommand : PSCmdlet
    {
        /// <summary>The connection to close; by default the session's default connection.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public VpnConnection Connection { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            VpnConnection connection = Connection ?? VpnConnections.GetDefault(this);
            if (connection == null)
            {
                WriteVerbose("No VPN appliance connection to close.");
                return;
            }

            connection.Dispose();
            if (ReferenceEquals(VpnConnections.GetDefault(this), connection))
            {
                VpnConnections.SetDefault(this, null);
            }
        }
    }
}
