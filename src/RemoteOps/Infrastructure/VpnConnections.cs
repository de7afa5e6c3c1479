using System;
using System.Management.Automation;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// The connection a VPN cmdlet works on: -Connection, else the default that the last
    /// Connect-RoVpnAppliance in this runspace set. The default lives in a variable of the
    /// runspace ($RoVpnDefaultConnection), so jobs and other runspaces never share it.
    /// </summary>
    internal static class VpnConnections
    {
        internal const string DefaultVariable = "RoVpnDefaultConnection";

        internal static VpnConnection Resolve(PSCmdlet cmdlet, VpnConnection explicitConnection)
        {
            VpnConnection connection = explicitConnection ?? GetDefault(cmdlet);
            if (connection == null)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("No VPN appliance connection: run Connect-RoVpnAppliance first, or pass -Connection."),
                    "NoVpnConnection",
                    ErrorCategory.ConnectionError,
                    null));
            }

            if (!connection.IsOpen)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"The connection to {connection} was closed by Disconnect-RoVpnAppliance; connect again."),
                    "VpnConnectionClosed",
                    ErrorCategory.ConnectionError,
                    connection));
            }

            return connection;
        }

        internal static VpnConnection GetDefault(PSCmdlet cmdlet) => cmdlet.SessionState.PSVariable.GetValue("global:" + DefaultVariable) as VpnConnection;

        internal static void SetDefault(PSCmdlet cmdlet, VpnConnection connection) => cmdlet.SessionState.PSVariable.Set("global:" + DefaultVariable, connection);

        internal static ErrorRecord ErrorFor(Exception error, object target)
        {
            if (error is ApplianceException appliance)
            {
                var record = new ErrorRecord(appliance, "Vpn" + appliance.Kind, CategoryFor(appliance.Kind), target);
                if (appliance.Remedy != null)
                {
                    record.ErrorDetails = new ErrorDetails(appliance.Message) { RecommendedAction = appliance.Remedy };
                }

                return record;
            }

            if (error is ArgumentException)
            {
                return new ErrorRecord(error, "InvalidArgument", ErrorCategory.InvalidArgument, target);
            }

            return new ErrorRecord(error, "VpnOperationFailed", ErrorCategory.NotSpecified, target);
        }

        internal static ErrorCategory CategoryFor(ApplianceErrorKind kind)
        {
            switch (kind)
            {
                case ApplianceErrorKind.Unreachable: return ErrorCategory.ConnectionError;
                case ApplianceErrorKind.AuthenticationFailed: return ErrorCategory.AuthenticationError;
                case ApplianceErrorKind.TrustFailure: return ErrorCategory.SecurityError;
                case ApplianceErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case ApplianceErrorKind.AlreadyExists: return ErrorCategory.ResourceExists;
                case ApplianceErrorKind.InUse: return ErrorCategory.ResourceBusy;
                case ApplianceErrorKind.InvalidRequest: return ErrorCategory.InvalidArgument;
                case ApplianceErrorKind.Busy: return ErrorCategory.LimitsExceeded;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
