namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>The optional marker at the start of a known_hosts line.</summary>
    public enum KnownHostMarker
    {
        /// <summary>A plain entry: the key is trusted for the matching hosts.</summary>
        None,

        /// <summary>@cert-authority: the key signs host certificates. RemoteOps does not use host certificates and ignores these when verifying.</summary>
        CertAuthority,

        /// <summary>@revoked: the key must never be accepted for the matching hosts.</summary>
        Revoked,
    }
}
