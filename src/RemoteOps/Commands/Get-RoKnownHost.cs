using System.Management.Automation;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Lists trusted host keys from the known-hosts store.</summary>
    [Cmdlet(VerbsCommon.Get, "RoKnownHost", HelpUri = HelpLinks.CmdletReference + "Get-RoKnownHost.md")]
    [OutputType(typeof(KnownHostEntry))]
    public sealed class GetRoKnownHostCommand : PSCmdlet
    {
        /// <summary>Only entries that match these hosts (the store's own matching: patterns, hashed names); all when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("HostName", "Address", "IPAddress", "CN")]
        [ValidateNotNullOrEmpty]
        public string[] ComputerName { get; set; }

        /// <summary>The port the hosts listen on.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 22;

        /// <summary>The known-hosts file; by default the RemoteOps store and ~/.ssh/known_hosts.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string KnownHostsPath { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            KnownHostsStore store = KnownHostsLocation.Open(KnownHostsPath, this);
            if (ComputerName == null)
            {
                WriteObject(store.GetAll(), enumerateCollection: true);
                return;
            }

            foreach (string name in ComputerName)
            {
                SshTarget target = KnownHostNames.Parse(this, name, Port);
                if (target != null)
                {
                    WriteObject(store.Find(target.Host, target.Port), enumerateCollection: true);
                }
            }
        }
    }
}
