using System;
using System.Management.Automation;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// The one mapping from RemoteOps failures (a host's status or an appliance error) to
    /// ErrorRecords: id, category, target and the remedy as RecommendedAction.
    /// </summary>
    internal static class ErrorRecords
    {
        /// <summary>The record for a host that did not succeed.</summary>
        internal static ErrorRecord ForHost(HostStatus status, string host, string message, string remedy)
        {
            var exception = new RemoteOpsHostException(status, host, message ?? $"{host}: {status}.");
            var record = new ErrorRecord(exception, ErrorIdFor(status), CategoryFor(HostStatusKinds.ToErrorKind(status) ?? ApplianceErrorKind.Failed), host);
            record.ErrorDetails = new ErrorDetails(exception.Message);
            if (!string.IsNullOrEmpty(remedy))
            {
                record.ErrorDetails.RecommendedAction = remedy;
            }

            return record;
        }

        /// <summary>
        /// The record for a failure of device work. <paramref name="idPrefix"/> names the
        /// family of the cmdlet ("Vpn" gives VpnNotFound, VpnInUse, ...).
        /// </summary>
        internal static ErrorRecord For(Exception error, object target, string idPrefix)
        {
            if (error is ApplianceException appliance)
            {
                var record = new ErrorRecord(appliance, idPrefix + appliance.Kind, CategoryFor(appliance.Kind), target);
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

            return new ErrorRecord(error, idPrefix + "OperationFailed", ErrorCategory.NotSpecified, target);
        }

        internal static string ErrorIdFor(HostStatus status)
        {
            switch (status)
            {
                case HostStatus.Unreachable: return "HostUnreachable";
                case HostStatus.AuthenticationFailed: return "AuthenticationFailed";
                case HostStatus.HostKeyMismatch: return "HostKeyMismatch";
                case HostStatus.HostKeyUnknown: return "HostKeyUnknown";
                case HostStatus.TimedOut: return "TimedOut";
                case HostStatus.Cancelled: return "Cancelled";
                default: return "HostOperationFailed";
            }
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
                case ApplianceErrorKind.NotSupported: return ErrorCategory.NotImplemented;
                case ApplianceErrorKind.TimedOut: return ErrorCategory.OperationTimeout;
                case ApplianceErrorKind.Cancelled: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.InvalidResult;
            }
        }
    }

    /// <summary>The exception inside a per-host ErrorRecord; carries the classification.</summary>
    public sealed class RemoteOpsHostException : Exception
    {
        internal RemoteOpsHostException(HostStatus status, string host, string message)
            : base(message)
        {
            Status = status;
            ComputerName = host;
        }

        /// <summary>How the host fared.</summary>
        public HostStatus Status { get; }

        /// <summary>The host the error belongs to.</summary>
        public string ComputerName { get; }
    }
}
