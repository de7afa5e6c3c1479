using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using RemoteOps.Core.Ssh.KnownHosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// The SSH connection parameters as a user gives them to any cmdlet (Invoke-RoSshCommand,
    /// Connect-RoAppliance for an SSH-managed device): one place turns them into an endpoint, so
    /// every SSH-managed device takes the same options, jump host and key passphrase included,
    /// and applies the same host-key rules.
    /// </summary>
    public sealed class SshConnectionSettings
    {
        /// <summary>The account given with -UserName, or null.</summary>
        public string UserName { get; set; }

        /// <summary>The account of -Credential, or null.</summary>
        public string CredentialUserName { get; set; }

        /// <summary>The password of -Credential, or null.</summary>
        public SecureString Password { get; set; }

        /// <summary>Private key files (paths already resolved), each with the passphrase.</summary>
        public IList<SshKeyFile> KeyFiles { get; } = new List<SshKeyFile>();

        /// <summary>Also offer keyboard-interactive authentication, answered with the password.</summary>
        public bool KeyboardInteractive { get; set; }

        /// <summary>How host keys are checked.</summary>
        public HostKeyPolicyMode HostKeyPolicy { get; set; } = HostKeyPolicyMode.Strict;

        /// <summary>Fingerprints the host must present; when given, the known-hosts store is not consulted for the target.</summary>
        public IReadOnlyList<string> HostKeyFingerprints { get; set; }

        /// <summary>Where known host keys are read and recorded.</summary>
        public KnownHostsStore KnownHosts { get; set; }

        /// <summary>Time allowed for connecting, key exchange and authentication.</summary>
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>A bastion as [user@]host[:port], or null.</summary>
        public string JumpHost { get; set; }

        /// <summary>The bastion's account from -JumpCredential, or null to use the target's credentials.</summary>
        public string JumpUserName { get; set; }

        /// <summary>The bastion's password from -JumpCredential.</summary>
        public SecureString JumpPassword { get; set; }

        /// <summary>The account used when the host name carries none: -UserName, then the credential's user, then the local user.</summary>
        public string DefaultUserName => UserName ?? CredentialUserName ?? Environment.UserName;

        /// <summary>True when the Pinned policy is asked for but no fingerprint was given: such a host must not be contacted.</summary>
        public bool LacksRequiredPin => HostKeyPolicy == HostKeyPolicyMode.Pinned && (HostKeyFingerprints == null || HostKeyFingerprints.Count == 0);

        /// <summary>What to say about a host that <see cref="LacksRequiredPin"/>.</summary>
        public static string PinRequiredMessage(SshTarget target) =>
            $"-HostKeyPolicy Pinned needs a fingerprint for {target}: give -HostKeyFingerprint SHA256:... or a Fingerprint column (get it with Get-RoSshHostKey, or on the host with 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub').";

        /// <summary>Builds the endpoint for one host as typed (host, host:port, user@host, [IPv6]:port).</summary>
        /// <exception cref="ArgumentException">The host, the jump host or a fingerprint is not valid, or Pinned has no fingerprint.</exception>
        public SshEndpoint Build(string computerName, int defaultPort) => Build(SshTarget.Parse(computerName, defaultPort, DefaultUserName));

        /// <summary>Builds the endpoint for a target already parsed.</summary>
        /// <exception cref="ArgumentException">The jump host or a fingerprint is not valid, or Pinned has no fingerprint.</exception>
        public SshEndpoint Build(SshTarget target)
        {
            if (target == null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            if (KnownHosts == null)
            {
                throw new InvalidOperationException("A known-hosts store is required to check host keys.");
            }

            if (LacksRequiredPin)
            {
                throw new ArgumentException(PinRequiredMessage(target));
            }

            bool pinned = HostKeyFingerprints != null && HostKeyFingerprints.Count > 0;
            HostKeyPolicy policy = pinned ? Ssh.HostKeyPolicy.Pin(HostKeyFingerprints.ToArray()) : Ssh.HostKeyPolicy.ForStore(HostKeyPolicy);
            var options = new SshConnectOptions
            {
                ConnectTimeout = ConnectTimeout,
                HostKeyVerifier = new HostKeyVerifier(KnownHosts, policy),

                // Pins name the target's keys; the bastion is checked against the known-hosts store.
                JumpHostKeyVerifier = new HostKeyVerifier(KnownHosts, Ssh.HostKeyPolicy.ForStore(HostKeyPolicy)),
            };
            if (JumpHost != null)
            {
                SshTarget jump = SshTarget.Parse(JumpHost, SshTarget.DefaultPort, DefaultUserName);
                options.JumpHost = jump;
                options.JumpCredentials = JumpUserName != null
                    ? NewCredentials(JumpUserName, JumpPassword)
                    : NewCredentials(jump.UserName, Password);
            }

            return new SshEndpoint(target, NewCredentials(target.UserName, Password), options);
        }

        private SshCredentials NewCredentials(string userName, SecureString password)
        {
            var credentials = new SshCredentials(userName) { Password = password, KeyboardInteractive = KeyboardInteractive };
            foreach (SshKeyFile key in KeyFiles)
            {
                credentials.KeyFiles.Add(key);
            }

            return credentials;
        }
    }
}
