using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// Parameters every multi-host SSH cmdlet shares: who to log in as, how to trust the host,
    /// how long to wait, and which bastion to go through.
    /// </summary>
    public abstract class SshFanOutCmdletBase<TResult> : FanOutCmdletBase<TResult>
        where TResult : class
    {
        /// <summary>The parameter set that names hosts and how to connect to them.</summary>
        public const string ComputerNameSet = "ComputerName";

        /// <summary>The hosts, as host, host:port, user@host or [IPv6]:port.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ComputerNameSet)]
        [Alias("HostName", "Address", "IPAddress", "CN")]
        [ValidateNotNullOrEmpty]
        public string[] ComputerName { get; set; }

        /// <summary>Seconds each host's work may take: the command once connected, or a whole file transfer including connecting. The host is then reported as TimedOut.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 60;

        /// <summary>The SSH port; a pipeline object's Port property overrides it per host.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ComputerNameSet)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 22;

        /// <summary>The remote account; also taken from user@host or from -Credential.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ComputerNameSet)]
        [Alias("User")]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; }

        /// <summary>User name and password (for password or keyboard-interactive authentication).</summary>
        [Parameter(ParameterSetName = ComputerNameSet)]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>Private key files to offer, in order.</summary>
        [Parameter(ParameterSetName = ComputerNameSet)]
        [Alias("IdentityFile")]
        [ValidateNotNullOrEmpty]
        public string[] KeyFilePath { get; set; }

        /// <summary>The passphrase of the key files.</summary>
        [Parameter(ParameterSetName = ComputerNameSet)]
        public SecureString KeyPassphrase { get; set; }

        /// <summary>Also offer keyboard-interactive authentication, answered with the -Credential password.</summary>
        [Parameter(ParameterSetName = ComputerNameSet)]
        public SwitchParameter KeyboardInteractive { get; set; }

        /// <summary>How host keys are checked: Strict (default) refuses unknown keys, AcceptNew records them on first use, Pinned accepts only -HostKeyFingerprint.</summary>
        [Parameter(ParameterSetName = ComputerNameSet)]
        public HostKeyPolicyMode HostKeyPolicy { get; set; } = HostKeyPolicyMode.Strict;

        /// <summary>SHA-256 fingerprints the host must present; when given, the known-hosts file is not consulted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ComputerNameSet)]
        [Alias("Fingerprint")]
        public string[] HostKeyFingerprint { get; set; }

        /// <summary>The known-hosts file RemoteOps reads and writes. When omitted, the RemoteOps default store is used and ~/.ssh/known_hosts is also read.</summary>
        [Parameter(ParameterSetName = ComputerNameSet)]
        [ValidateNotNullOrEmpty]
        public string KnownHostsPath { get; set; }

        /// <summary>Seconds allowed for connecting, key exchange and authentication.</summary>
        [Parameter(ParameterSetName = ComputerNameSet)]
        [ValidateRange(1, 3600)]
        public int ConnectTimeoutSec { get; set; } = 10;

        /// <summary>A bastion to connect through, as [user@]host[:port].</summary>
        [Parameter(ParameterSetName = ComputerNameSet)]
        [ValidateNotNullOrEmpty]
        public string JumpHost { get; set; }

        /// <summary>Credentials for the bastion; by default the same as for the target.</summary>
        [Parameter(ParameterSetName = ComputerNameSet)]
        [Credential]
        public PSCredential JumpCredential { get; set; }

        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        private KnownHostsStore knownHosts;

        /// <summary>The known-hosts store selected by the parameters.</summary>
        protected KnownHostsStore KnownHosts => knownHosts ?? (knownHosts = KnownHostsLocation.Open(KnownHostsPath, this));

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            ValidateConnectionParameters();
            Audit = new AuditTrail(this, AuditLogPath, SecretsInParameters());
            if (HostKeyPolicy == HostKeyPolicyMode.AcceptNew)
            {
                Audit.RequireWritable();
            }

            base.BeginProcessing();
        }

        /// <summary>
        /// Trusting a key on first use changes the known-hosts store, so it gets an audit line
        /// of its own, whatever the cmdlet did next.
        /// </summary>
        protected void AuditRecordedHostKey(string host, int port, bool recorded, string fingerprint)
        {
            if (recorded)
            {
                Audit.Record($"{host}:{port}", "Trust host key (AcceptNew)", "Added", fingerprint);
            }
        }

        /// <summary>Checks parameter combinations; throws a terminating InvalidArgument error before any host is touched.</summary>
        protected void ValidateConnectionParameters()
        {
            if (HostKeyFingerprint != null)
            {
                ValidateFingerprints(HostKeyFingerprint);
            }

            ArgumentErrors.ResolveExistingKeyFiles(this, KeyFilePath);

            ArgumentErrors.ThrowOnInvalidJumpHost(this, JumpHost);
        }

        /// <summary>The fingerprints bound for the current pipeline object (validated), or null.</summary>
        protected string[] PinsOfThisRecord()
        {
            if (HostKeyFingerprint != null)
            {
                ValidateFingerprints(HostKeyFingerprint);
            }

            return HostKeyFingerprint;
        }

        /// <summary>Validates fingerprints and writes a terminating error naming the bad one.</summary>
        protected void ValidateFingerprints(IEnumerable<string> fingerprints) => ArgumentErrors.ThrowOnInvalidFingerprint(this, fingerprints);

        /// <summary>Turns a user-typed host name into a validated target, or writes an error and returns null.</summary>
        protected SshTarget ParseTarget(string computerName)
        {
            try
            {
                string defaultUser = UserName ?? Credential?.UserName ?? Environment.UserName;
                return SshTarget.Parse(computerName, Port, defaultUser);
            }
            catch (ArgumentException error)
            {
                WriteError(ArgumentErrors.Invalid("InvalidComputerName", error.Message, computerName, error));
                return null;
            }
        }

        private List<SshKeyFile> keyFiles;

        /// <summary>The key files of -KeyFilePath, shared by all hosts so that each is parsed once.</summary>
        private List<SshKeyFile> KeyFiles
        {
            get
            {
                if (keyFiles == null)
                {
                    keyFiles = new List<SshKeyFile>();
                    foreach (string path in KeyFilePath ?? new string[0])
                    {
                        keyFiles.Add(new SshKeyFile(ResolveLocalPath(path), KeyPassphrase));
                    }
                }

                return keyFiles;
            }
        }

        /// <summary>
        /// The endpoint for one target from the connection parameters (the same code that serves
        /// Connect-RoAppliance for SSH-managed devices), or null after writing an error for that
        /// host when -HostKeyPolicy Pinned is asked for but no fingerprint came for it.
        /// </summary>
        protected SshEndpoint BuildEndpoint(SshTarget target, IReadOnlyList<string> pinnedFingerprints)
        {
            var settings = new SshConnectionSettings
            {
                UserName = UserName,
                CredentialUserName = Credential?.UserName,
                Password = Credential?.Password,
                KeyboardInteractive = KeyboardInteractive.IsPresent,
                HostKeyPolicy = HostKeyPolicy,
                HostKeyFingerprints = pinnedFingerprints,
                KnownHosts = KnownHosts,
                ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSec),
                JumpHost = JumpHost,
                JumpUserName = JumpCredential?.UserName,
                JumpPassword = JumpCredential?.Password,
            };
            foreach (SshKeyFile key in KeyFiles)
            {
                settings.KeyFiles.Add(key);
            }

            if (settings.LacksRequiredPin)
            {
                WriteError(ArgumentErrors.Invalid("PinnedPolicyWithoutFingerprint", SshConnectionSettings.PinRequiredMessage(target), target.Host));
                return null;
            }

            return settings.Build(target);
        }

        /// <summary>Secrets held by the parameters, to be kept out of every message, log and audit line.</summary>
        protected IEnumerable<string> SecretsInParameters()
        {
            var secrets = new List<string>();
            AddSecret(secrets, Credential?.Password);
            AddSecret(secrets, JumpCredential?.Password);
            AddSecret(secrets, KeyPassphrase);
            return secrets;
        }

        /// <summary>Resolves a path the user typed relative to the current PowerShell location.</summary>
        protected string ResolveLocalPath(string path) => LocalPaths.Resolve(this, path);

        private static void AddSecret(List<string> secrets, SecureString secret)
        {
            if (secret != null && secret.Length > 0)
            {
                secrets.Add(SecretText.Reveal(secret));
            }
        }
    }
}
