namespace RemoteOps.Core.Ssh
{
    /// <summary>How a presented host key is judged.</summary>
    public enum HostKeyPolicyMode
    {
        /// <summary>Only keys already in the known-hosts files are trusted.</summary>
        Strict,

        /// <summary>
        /// Like <see cref="Strict"/>, but the key of a host with no known key at all is trusted
        /// and recorded (trust on first use). A changed key is still refused.
        /// </summary>
        AcceptNew,

        /// <summary>Only keys whose fingerprint was pinned are trusted; the known-hosts files are not used.</summary>
        Pinned,
    }
}
