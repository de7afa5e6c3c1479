using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Hosts
{
    /// <summary>
    /// One error model for hosts and appliances: a host's status maps onto the appliance error
    /// kinds, so every cmdlet turns failures into ErrorRecords through the same table.
    /// </summary>
    public static class HostStatusKinds
    {
        /// <summary>The error kind of a host status; Succeeded has none.</summary>
        public static ApplianceErrorKind? ToErrorKind(HostStatus status)
        {
            switch (status)
            {
                case HostStatus.Succeeded: return null;
                case HostStatus.Unreachable: return ApplianceErrorKind.Unreachable;
                case HostStatus.AuthenticationFailed: return ApplianceErrorKind.AuthenticationFailed;
                case HostStatus.HostKeyMismatch:
                case HostStatus.HostKeyUnknown: return ApplianceErrorKind.TrustFailure;
                case HostStatus.TimedOut: return ApplianceErrorKind.TimedOut;
                case HostStatus.Cancelled: return ApplianceErrorKind.Cancelled;
                default: return ApplianceErrorKind.Failed;
            }
        }
    }
}
