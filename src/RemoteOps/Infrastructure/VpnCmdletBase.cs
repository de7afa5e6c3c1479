using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Infrastructure
{
    /// <summary>The -Connection parameter and Ctrl+C handling of the single-call VPN cmdlets.</summary>
    public abstract class VpnCmdletBase : PSCmdlet, IDisposable
    {
        /// <summary>The error-id family of the VPN cmdlets (VpnNotFound, NoVpnConnection, ...).</summary>
        internal const string ErrorFamily = "Vpn";

        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private ApplianceConnection resolved;

        /// <summary>The appliance connection from Connect-RoAppliance; by default the newest one of this session that has the capability.</summary>
        [Parameter]
        [ValidateNotNull]
        public ApplianceConnection Connection { get; set; }

        /// <summary>What the cmdlet needs the device to do.</summary>
        protected abstract ApplianceCapabilities RequiredCapability { get; }

        /// <summary>Fires on Ctrl+C or Stop-Job.</summary>
        protected CancellationToken StopToken => stopping.Token;

        /// <summary>The connection to use.</summary>
        protected ApplianceConnection ResolvedConnection => resolved ?? (resolved = ApplianceConnections.Resolve(this, Connection, RequiredCapability, ErrorFamily));

        /// <summary>The VPN side of the connection in use.</summary>
        protected IVpnAppliance Vpn => ResolvedConnection.Require<IVpnAppliance>(RequiredCapability);

        /// <summary>Waits for appliance work on the pipeline thread; a failure is written as an error for the target and null returned.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work, object target)
            where T : class
        {
            try
            {
                return work(StopToken).GetAwaiter().GetResult();
            }
            catch (Exception error) when (!(error is OperationCanceledException) && !(error is PipelineStoppedException))
            {
                WriteError(ErrorRecords.For(error, target, ErrorFamily));
                return null;
            }
        }

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
