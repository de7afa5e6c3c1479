using System;
using System.Management.Automation;
using System.Threading;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Trusts a host key: one given explicitly (or piped from Get-RoSshHostKey), or the one the host presents.</summary>
    [Cmdlet(VerbsCommon.Add, "RoKnownHost", HelpUri = HelpLinks.CmdletReference + "Add-RoKnownHost.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ScanSet)]
    [OutputType(typeof(KnownHostEntry))]
    public sealed class AddRoKnownHostCommand : PSCmdlet
    {
        private const string ScanSet = "Scan";
        private const string KeySet = "Key";
        private AuditTrail audit;
        private KnownHostsStore store;

        /// <summary>The host the key belongs to.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ScanSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = KeySet)]
        [Alias("HostName", "Address", "IPAddress", "CN")]
        [ValidateNotNullOrEmpty]
        public string ComputerName { get; set; }

        /// <summary>The SSH port the key is trusted for.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 22;

        /// <summary>The key type, for example ssh-ed25519.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = KeySet)]
        [ValidateNotNullOrEmpty]
        public string KeyType { get; set; }

        /// <summary>The public key blob in base64, as in a known_hosts or .pub file.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = KeySet)]
        [ValidateNotNullOrEmpty]
        public string PublicKey { get; set; }

        /// <summary>The SHA-256 fingerprint the key must have, checked out of band; the key is refused when it differs.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Fingerprint { get; set; }

        /// <summary>Seconds allowed for fetching the key from the host.</summary>
        [Parameter(ParameterSetName = ScanSet)]
        [ValidateRange(1, 3600)]
        public int ConnectTimeoutSec { get; set; } = 10;

        /// <summary>Replace a different key already trusted for the host (after a legitimate re-install).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The known-hosts file to write; by default the RemoteOps store.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string KnownHostsPath { get; set; }

        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            store = KnownHostsLocation.Open(KnownHostsPath, this);
            audit = new AuditTrail(this, AuditLogPath, null);
            audit.RequireWritable();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Fingerprint != null)
            {
                ArgumentErrors.ThrowOnInvalidFingerprint(this, new[] { Fingerprint });
            }

            SshTarget target = KnownHostNames.Parse(this, ComputerName, Port);
            if (target == null)
            {
                return;
            }

            string keyType;
            byte[] blob;
            if (ParameterSetName == KeySet)
            {
                keyType = KeyType;
                try
                {
                    blob = Convert.FromBase64String(PublicKey);
                }
                catch (FormatException)
                {
                    WriteError(ArgumentErrors.Invalid("InvalidPublicKey", $"-PublicKey for {target} is not base64. Give the second field of a known_hosts or .pub line.", PublicKey));
                    return;
                }

                string blobType = SshKeyBlob.ReadKeyType(blob);
                if (blobType == null || !string.Equals(blobType, keyType, StringComparison.Ordinal))
                {
                    WriteError(ArgumentErrors.Invalid("KeyTypeMismatch", $"-PublicKey for {target} holds a '{blobType ?? "malformed"}' key, not '{keyType}'.", PublicKey));
                    return;
                }
            }
            else
            {
                SshHostKeyInfo scanned;
                try
                {
                    scanned = SshHostKeyScanner.ScanAsync(target, TimeSpan.FromSeconds(ConnectTimeoutSec), CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (SshFailureException failure)
                {
                    WriteError(ErrorRecords.ForHost(failure.Status, target.Host, failure.Message, failure.Remedy));
                    return;
                }

                keyType = scanned.KeyType;
                blob = Convert.FromBase64String(scanned.PublicKey);
                if (Fingerprint == null)
                {
                    WriteWarning($"Trusting the key {target} presented now ({scanned.Fingerprint}) without an out-of-band check. Pass -Fingerprint to check it.");
                }
            }

            var decision = KnownHostTrustDecision.Decide(target, store.Find(target.Host, target.Port), store.FilePath, keyType, blob, Fingerprint, Force.IsPresent);
            if (decision.Verdict == KnownHostTrustVerdict.AlreadyTrusted)
            {
                WriteVerbose($"{target} already has the {keyType} key {decision.Fingerprint}: no change.");
                WriteObject(decision.TrustedEntry);
                return;
            }

            if (!decision.WritesStore)
            {
                WriteError(ErrorRecords.ForHost(HostStatus.HostKeyMismatch, target.Host, decision.Message, decision.Remedy));
                return;
            }

            if (!ShouldProcess(target.ToString(), $"Trust {keyType} host key {decision.Fingerprint}"))
            {
                return;
            }

            KnownHostEntry added = store.Add(target.Host, target.Port, keyType, blob);
            audit.Record(target.ToString(), "Add-RoKnownHost", decision.Verdict == KnownHostTrustVerdict.Replace ? "Replaced" : "Added", $"{keyType} {decision.Fingerprint}");
            WriteObject(added);
        }
    }
}
