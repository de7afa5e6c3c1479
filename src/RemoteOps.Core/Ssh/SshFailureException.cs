using System;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// A failure to reach, trust, authenticate to or run on one host, already classified.
    /// The message says what happened to which host and what to do; it never holds a secret.
    /// </summary>
    public sealed class SshFailureException : Exception
    {
        /// <summary>Creates a classified failure.</summary>
        public SshFailureException(HostStatus status, string host, string message, string remedy = null, Exception inner = null)
            : base(message, inner)
        {
            Status = status;
            Host = host;
            Remedy = remedy;
        }

        /// <summary>The classification of the failure.</summary>
        public HostStatus Status { get; }

        /// <summary>The host the failure belongs to.</summary>
        public string Host { get; }

        /// <summary>What the user can do about it, or null.</summary>
        public string Remedy { get; }

        /// <summary>Fingerprint the host presented, when the failure is about its key.</summary>
        public string PresentedFingerprint { get; internal set; }

        /// <summary>Fingerprints known or pinned for the host, when the failure is about its key.</summary>
        public string[] ExpectedFingerprints { get; internal set; }
    }
}
