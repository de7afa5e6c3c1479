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


    }
}
