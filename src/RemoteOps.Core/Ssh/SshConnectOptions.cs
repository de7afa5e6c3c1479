using System;

namespace RemoteOps.Core.Ssh
{
    /// <summary>How to reach and trust a host.</summary>
    public sealed class SshConnectOptions
    {
        /// <summary>Time allowed for TCP connect, key exchange and authentication.</summary>
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Decides whether a presented host key is trusted.</summary>
        public HostKeyVerifier HostKeyVerifier { get; set; }

        /// <summary>Decides whether the bastion's key is trusted; null means <see cref="HostKeyVerifier"/>.</summary>
        public HostKeyVerifier JumpHostKeyVerifier { get; set; }

        /// <summary>A bastion to tunnel through, or null to connect directly.</summary>
        public SshTarget JumpHost { get; set; }

        /// <summary>Credentials for the bastion; null means the same as for the target.</summary>
        public SshCredentials JumpCredentials { get; set; }

        /// <summary>
        /// How often an idle connection sends an SSH keep-alive, so that firewalls and NAT keep it
        /// and a dead far end is noticed; null sends none (a connection used for one call).
        /// </summary>
        public TimeSpan? KeepAliveInterval { get; set; }
    }
}
