namespace RemoteOps.Core.Ssh
{
    /// <summary>Everything needed to open an SSH connection to one host: where, as whom, and how its key is trusted.</summary>
    public sealed class SshEndpoint
    {
        /// <summary>Bundles a validated target with its credentials and connect options.</summary>
        public SshEndpoint(SshTarget target, SshCredentials credentials, SshConnectOptions options)
        {
            Target = target;
            Credentials = credentials;
            Options = options;
        }

        /// <summary>The host, port and account.</summary>
        public SshTarget Target { get; }

        /// <summary>What to authenticate with.</summary>
        public SshCredentials Credentials { get; }

        /// <summary>Time-outs, host-key verification and the bastion.</summary>
        public SshConnectOptions Options { get; }
    }
}
