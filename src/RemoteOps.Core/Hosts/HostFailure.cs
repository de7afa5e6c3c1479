namespace RemoteOps.Core.Hosts
{
    /// <summary>A failure on one host, classified: status, a message naming the host, and what to do.</summary>
    public sealed class HostFailure
    {
        /// <summary>Creates a classified failure.</summary>
        public HostFailure(HostStatus status, string message, string remedy = null, string presentedFingerprint = null)
        {
            Status = status;
            Message = message;
            Remedy = remedy;
            PresentedFingerprint = presentedFingerprint;
        }

        /// <summary>How the host fared.</summary>
        public HostStatus Status { get; }

        /// <summary>What happened, naming the host; never holds a secret.</summary>
        public string Message { get; }

        /// <summary>What the user can do about it, or null.</summary>
        public string Remedy { get; }

        /// <summary>The host key fingerprint the host presented, when the failure is about its key.</summary>
        public string PresentedFingerprint { get; }
    }
}
