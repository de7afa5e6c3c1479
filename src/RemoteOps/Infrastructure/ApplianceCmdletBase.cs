using System;
using System.Management.Automation;
using System.Threading;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// What every single-call device cmdlet shares: the -Connection parameter resolved by the
    /// capability the cmdlet needs, and Ctrl+C handling. The VPN and firewall bases add how their
    /// failures are written.
    /// </summary>
    public abstract class ApplianceCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private ApplianceConnection resolved;

        /// <summary>The connection from Connect-RoAppliance; by default the newest one of this session that has the capability the cmdlet needs.</summary>
        [Parameter]
        [ValidateNotNull]
        public ApplianceConnection Connection { get; set; }

        /// <summary>What the cmdlet needs the device to do.</summary>
        protected abstract ApplianceCapabilities RequiredCapability { get; }

        /// <summary>The error-id family of the cmdlet ("Vpn" gives NoVpnConnection, VpnNotFound, ...).</summary>
        protected abstract string ErrorFamilyName { get; }

        /// <summary>Fires on Ctrl+C or Stop-Job.</summary>
        protected CancellationToken StopToken => stopping.Token;

        /// <summary>The connection to use; stops the cmdlet with an error that says what to do when there is none that fits.</summary>
        protected ApplianceConnection ResolvedConnection => resolved ?? (resolved = ApplianceConnections.Resolve(this, Connection, RequiredCapability, ErrorFamilyName));

        /// <summary>The driver's interface for the capability the cmdlet needs.</summary>
        protected TFeature Feature<TFeature>()
            where TFeature : class => ResolvedConnection.Require<TFeature>(RequiredCapability);

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        /// <inheritdoc />
        public void Dispose()
        {
            stopping.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
