using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Infrastructure
{
    /// <summary>The -Connection parameter and Ctrl+C handling of the single-call VPN cmdlets.</summary>
    public abstract class VpnCmdletBase : ApplianceCmdletBase
    {
        /// <summary>The error-id family of the VPN cmdlets (VpnNotFound, NoVpnConnection, ...).</summary>
        internal const string ErrorFamily = "Vpn";

        /// <inheritdoc />
        protected override string ErrorFamilyName => ErrorFamily;

        /// <summary>The VPN side of the connection in use.</summary>
        protected IVpnAppliance Vpn => Feature<IVpnAppliance>();

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

    }
}
