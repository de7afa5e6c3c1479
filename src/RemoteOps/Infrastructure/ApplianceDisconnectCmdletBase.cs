using System.Management.Automation;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Infrastructure
{
    /// <summary>Closes connections and forgets them in the session; shared by Disconnect-RoAppliance and Disconnect-RoVpnAppliance.</summary>
    public abstract class ApplianceDisconnectCmdletBase : PSCmdlet
    {
        /// <summary>The connection to close; by default the newest open one of the session (of the kind the cmdlet is for).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ApplianceConnection Connection { get; set; }

        /// <summary>Which connection is closed when none is given.</summary>
        protected abstract ApplianceCapabilities DefaultCapability { get; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApplianceConnections connections = ApplianceConnections.Of(this);
            ApplianceConnection connection = Connection ?? connections.Newest(DefaultCapability);
            if (connection == null)
            {
                WriteVerbose("No appliance connection to close.");
                return;
            }

            Close(connections, connection);
        }

        /// <summary>Closes one connection and removes it from the session's list.</summary>
        private protected void Close(ApplianceConnections connections, ApplianceConnection connection)
        {
            WriteVerbose($"Closing the connection to {connection}.");
            connection.Dispose();
            connections.Remove(connection);
        }
    }
}
