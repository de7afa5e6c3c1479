namespace RemoteOps.Core.Ssh
{
    /// <summary>The outcome of checking a presented host key.</summary>
    public enum HostKeyVerdictKind
    {
        /// <summary>The key is in the known-hosts files for this host.</summary>
        Trusted,

        /// <summary>No key was known for the host; under AcceptNew the key was trusted and recorded.</summary>
        TrustedAndRecorded,

        /// <summary>The key's fingerprint is one of the pinned fingerprints.</summary>
        TrustedByPin,

        /// <summary>No key of this type is known for the host: refused.</summary>
        Unknown,

        /// <summary>A different key is known for the host, or the key does not match the pins: refused.</summary>
        Mismatch,

        /// <summary>The key is marked @revoked: refused.</summary>
        Revoked,
    }
}
