using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Infrastructure
{
    /// <summary>The -Connection parameter and Ctrl+C handling of the single-call VPN cmdlets.</summary>
    public abstract class VpnCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();

        /// <summary>The appliance connection from Connect-RoVpnAppliance; by default the last one made in this session.</summary>
        [Parameter]
        [ValidateNotNull]
        public VpnConnection Connection { get; set; }

        /// <summary>Fires on Ctrl+C or Stop-Job.</summary>
        protected CancellationToken StopToken => stopping.Token;

        /// <summary>The connection to use.</summary>
        protected VpnConnection ResolvedConnection => VpnConnections.Resolve(this, Connection);

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
                WriteError(VpnConnections.ErrorFor(error, target));
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
