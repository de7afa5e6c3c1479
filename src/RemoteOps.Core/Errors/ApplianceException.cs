using System;

namespace RemoteOps.Core.Errors
{
    /// <summary>What kind of failure a device (appliance or host) reported; one model for every device kind.</summary>
    public enum ApplianceErrorKind
    {
        /// <summary>The device could not be reached or did not answer in time.</summary>
        Unreachable,

        /// <summary>The device refused the credentials or token.</summary>
        AuthenticationFailed,

        /// <summary>The device's certificate or host key was not the trusted one.</summary>
        TrustFailure,

        /// <summary>The user, session, group, rule or object does not exist.</summary>
        NotFound,

        /// <summary>The object already exists.</summary>
        AlreadyExists,

        /// <summary>Another object still refers to the one touched (HTTP 422, FortiOS entry in use).</summary>
        InUse,

        /// <summary>The device rejected the values sent.</summary>
        InvalidRequest,

        /// <summary>The device stayed busy (429/503) through every retry.</summary>
        Busy,

        /// <summary>The device or its driver cannot do what was asked (a capability it lacks).</summary>
        NotSupported,

        /// <summary>The work ran past its time limit.</summary>
        TimedOut,

        /// <summary>The work was stopped (Ctrl+C, Stop-Job) before it finished.</summary>
        Cancelled,

        /// <summary>Anything else the device reported.</summary>
        Failed,
    }

    /// <summary>A classified device failure; the message never holds a secret.</summary>
    public sealed class ApplianceException : Exception
    {
        /// <summary>Creates a classified failure.</summary>
        public ApplianceException(ApplianceErrorKind kind, string message, string remedy = null, Exception inner = null)
            : base(message, inner)
        {
            Kind = kind;
            Remedy = remedy;
        }

        /// <summary>The classification.</summary>
        public ApplianceErrorKind Kind { get; }

        /// <summary>What the user can do about it, or null.</summary>
        public string Remedy { get; }
    }
}
