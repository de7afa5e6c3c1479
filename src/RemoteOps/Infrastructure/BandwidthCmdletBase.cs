using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Bandwidth;

namespace RemoteOps.Infrastructure
{
    /// <summary>The -Connection parameter, Ctrl+C handling and error mapping of the bandwidth cmdlets.</summary>
    public abstract class BandwidthCmdletBase : ApplianceCmdletBase
    {
        /// <summary>The error-id family of the bandwidth cmdlets (BandwidthInvalidRequest, NoBandwidthConnection, ...).</summary>
        internal const string ErrorFamily = "Bandwidth";

        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.Bandwidth;

        /// <inheritdoc />
        protected override string ErrorFamilyName => ErrorFamily;

        /// <summary>The shaping side of the connection in use.</summary>
        protected IBandwidthShaper Shaper => Feature<IBandwidthShaper>();

    }
}
