using System;
using System.Management.Automation;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Infrastructure
{
    /// <summary>Builds the ErrorRecord written for a host that did not succeed.</summary>
    internal static class HostErrorRecords
    {
        internal static ErrorRecord For(HostStatus status, string host, string message, string remedy, object detail = null)
        {
            var exception = new RemoteOpsHostException(status, host, message ?? $"{host}: {status}.");
            var record = new ErrorRecord(exception, ErrorIdFor(status), CategoryFor(status), host);
            record.ErrorDetails = new ErrorDetails(exception.Message);
            if (!string.IsNullOrEmpty(remedy))
            {
                record.ErrorDetails.RecommendedAction = remedy;
            }

            return record;
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

        internal static ErrorCategory CategoryFor(HostStatus status)
        {
            switch (status)
            {
                case HostStatus.Unreachable: return ErrorCategory.ConnectionError;
                case HostStatus.AuthenticationFailed: return ErrorCategory.AuthenticationError;
                case HostStatus.HostKeyMismatch: return ErrorCategory.SecurityError;
                case HostStatus.HostKeyUnknown: return ErrorCategory.SecurityError;
                case HostStatus.TimedOut: return ErrorCategory.OperationTimeout;
                case HostStatus.Cancelled: return ErrorCategory.OperationStopped;
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
