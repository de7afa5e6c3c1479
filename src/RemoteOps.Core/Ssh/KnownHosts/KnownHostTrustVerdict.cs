namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>What trusting a key for a host comes to, given what is known about the host.</summary>
    public enum KnownHostTrustVerdict
    {
        /// <summary>No key of this type is trusted for the host: add it.</summary>
        Add,

        /// <summary>A different key of this type is trusted and replacing it was asked for.</summary>
        Replace,

        /// <summary>The key is already trusted the same way: no change.</summary>
        AlreadyTrusted,

        /// <summary>The key does not have the fingerprint checked out of band.</summary>
        FingerprintMismatch,

        /// <summary>The key is marked @revoked.</summary>
        Revoked,

        /// <summary>A different key of this type is trusted, and replacing it was not asked for.</summary>
        OtherKeyTrusted,
    }
}
