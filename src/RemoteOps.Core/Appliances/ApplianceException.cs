using System;

namespace RemoteOps.Core.Appliances
{
    /// <summary>What kind of failure an appliance reported.</summary>
    public enum ApplianceErrorKind
    {
        /// <summary>The appliance could not be reached or did not answer in time.</summary>
        Unreachable,

        /// <summary>The appliance refused the credentials or token.</summary>
        AuthenticationFailed,

        /// <summary>The appliance's certificate or host key was not the trusted one.</summary>
        TrustFailure,

        /// <summary>The user, session or group does not exist.</summary>
        NotFound,

        /// <summary>The object already exists.</summary>
        AlreadyExists,

        /// <summary>Another object still refers to the one touched (HTTP 422, FortiOS entry in use).</summary>
        InUse,

        /// <summary>The appliance rejected the values sent.</summary>
        InvalidRequest,

        /// <summary>The appliance stayed busy (429/503) through every retry.</summary>
        Busy,

        /// <summary>Anything else the appliance reported.</summary>
        Failed,
    }

    /// <summary>A classified appliance failure; the message never holds a secret.</summary>
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
