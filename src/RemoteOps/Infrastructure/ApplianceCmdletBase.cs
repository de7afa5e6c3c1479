using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// What every single-call device cmdlet shares: the -Connection parameter resolved by the
    /// capability the cmdlet needs, Ctrl+C handling, and waiting for device work with the failure
    /// mapped once: RunOrStop for cmdlets that end at a failure (firewall, bandwidth), RunOrWriteError
    /// for those that go on with their next input (VPN, SecurID).
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

        /// <summary>Waits for device work on the pipeline thread; a failure stops the cmdlet with the mapped error.</summary>
        protected T RunOrStop<T>(Func<CancellationToken, Task<T>> work, object target)
        {
            try
            {
                return work(StopToken).GetAwaiter().GetResult();
            }
            catch (Exception error) when (!(error is OperationCanceledException) && !(error is PipelineStoppedException))
            {
                ThrowTerminatingError(ErrorRecords.For(error, target, ErrorFamilyName));
                throw;
            }
        }

        /// <summary>Waits for device work on the pipeline thread; a failure is written as an error for the target and null returned, so the next input goes on.</summary>
        protected T RunOrWriteError<T>(Func<CancellationToken, Task<T>> work, object target)
            where T : class
        {
            try
            {
                return work(StopToken).GetAwaiter().GetResult();
            }
            catch (Exception error) when (!(error is OperationCanceledException) && !(error is PipelineStoppedException))
            {
                WriteError(ErrorRecords.For(error, target, ErrorFamilyName));
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
