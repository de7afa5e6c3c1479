namespace RemoteOps.Core.Ssh
{
    /// <summary>A host key as a server presented it.</summary>
    public sealed class SshHostKeyInfo
    {
        /// <summary>The host as the user named it.</summary>
        public string ComputerName { get; set; }

        /// <summary>The SSH port.</summary>
        public int Port { get; set; }

        /// <summary>The key type, for example ssh-ed25519.</summary>
        public string KeyType { get; set; }

        /// <summary>The SHA-256 fingerprint as OpenSSH prints it.</summary>
        public string Fingerprint { get; set; }

        /// <summary>The public key blob in base64, as in known_hosts files.</summary>
        public string PublicKey { get; set; }

        /// <summary>How the key compares with the known-hosts store: Trusted, Unknown, Mismatch or Revoked.</summary>
        public string KnownHostsStatus { get; set; }
    }
}
