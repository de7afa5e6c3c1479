using System.Management.Automation;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Removes trusted host keys from the RemoteOps known-hosts store.</summary>
    [Cmdlet(VerbsCommon.Remove, "RoKnownHost", HelpUri = HelpLinks.CmdletReference + "Remove-RoKnownHost.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveRoKnownHostCommand : PSCmdlet
    {
        private AuditTrail audit;

        /// <summary>The hosts whose keys are removed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("HostName", "Address", "IPAddress", "CN")]
        [ValidateNotNullOrEmpty]
        public string[] ComputerName { get; set; }

        /// <summary>Only the entry for this port; entries for every port when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>Only keys of this type (for example ssh-ed25519); all types when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string KeyType { get; set; }

        /// <summary>The known-hosts file to change; by default the RemoteOps store (~/.ssh/known_hosts is never changed).</summary>
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
            audit = new AuditTrail(this, AuditLogPath, null);
            audit.RequireWritable();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            KnownHostsStore store = KnownHostsLocation.Open(KnownHostsPath, this);
            int? port = MyInvocation.BoundParameters.ContainsKey(nameof(Port)) ? Port : (int?)null;
            foreach (string name in ComputerName)
            {
                SshTarget target = KnownHostNames.Parse(this, name, port ?? SshTarget.DefaultPort);
                if (target == null)
                {
                    continue;
                }

                int? targetPort = port ?? (SshTarget.NamesPort(name) ? target.Port : (int?)null);
                string what = targetPort.HasValue ? $"{target.Host}:{targetPort}" : target.Host;
                if (!ShouldProcess(what, KeyType == null ? "Remove all trusted host keys" : $"Remove trusted {KeyType} host key"))
                {
                    continue;
                }

                int removed = store.Remove(target.Host, targetPort, KeyType);
                WriteVerbose($"Removed {removed} known-hosts entr{(removed == 1 ? "y" : "ies")} for {what}.");
                audit.Record(what, "Remove-RoKnownHost", removed > 0 ? "Removed" : "NoChange", KeyType);
            }
        }
    }
}
