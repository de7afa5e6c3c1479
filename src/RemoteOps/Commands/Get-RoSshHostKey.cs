using System;
using System.Management.Automation;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Fetches the host key each host presents (without trusting it), for pinning or for Add-RoKnownHost.</summary>
    [Cmdlet(VerbsCommon.Get, "RoSshHostKey", HelpUri = HelpLinks.CmdletReference + "Get-RoSshHostKey.md")]
    [OutputType(typeof(SshHostKeyInfo))]
    public sealed class GetRoSshHostKeyCommand : FanOutCmdletBase<GetRoSshHostKeyCommand.Scan>
    {
        private KnownHostsStore knownHosts;

        /// <summary>The hosts, as host, host:port or [IPv6]:port.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("HostName", "Address", "IPAddress", "CN")]
        [ValidateNotNullOrEmpty]
        public string[] ComputerName { get; set; }

        /// <summary>The SSH port; a pipeline object's Port property overrides it per host.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 22;

        /// <summary>Seconds allowed for connecting and the key exchange.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int ConnectTimeoutSec { get; set; } = 10;

        /// <summary>The known-hosts file to compare the keys with; by default the RemoteOps store and ~/.ssh/known_hosts.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string KnownHostsPath { get; set; }

        /// <inheritdoc />
        protected override string ProgressActivity => "Get-RoSshHostKey";

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            knownHosts = KnownHostsLocation.Open(KnownHostsPath, this);
            base.BeginProcessing();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string name in ComputerName)
            {
                SshTarget target = KnownHostNames.Parse(this, name, Port);
                if (target == null)
                {
                    continue;
                }

                TimeSpan timeout = TimeSpan.FromSeconds(ConnectTimeoutSec);
                var verifier = new HostKeyVerifier(knownHosts, HostKeyPolicy.Strict);
                Schedule(
                    async token =>
                    {
                        SshHostKeyInfo key = await SshHostKeyScanner.ScanAsync(target, timeout, token).ConfigureAwait(false);
                        key.KnownHostsStatus = verifier.Verify(target.Host, target.Port, key.KeyType, Convert.FromBase64String(key.PublicKey)).Kind.ToString();
                        return new Scan { Target = target, Key = key };
                    },
                    error => new Scan { Target = target, Error = error });
            }
        }

        /// <inheritdoc />
        protected override void WriteHostResult(Scan result)
        {
            if (result.Key != null)
            {
                WriteObject(result.Key);
                return;
            }

            var failure = result.Error as SshFailureException;
            HostStatus status = failure?.Status ?? (result.Error is OperationCanceledException ? HostStatus.Cancelled : HostStatus.Failed);
            WriteError(ErrorRecords.ForHost(status, result.Target.Host, failure?.Message ?? $"{result.Target}: {result.Error.Message}", failure?.Remedy));
        }

        /// <summary>One host's scan: the key, or why there is none.</summary>
        public sealed class Scan
        {
            internal SshTarget Target { get; set; }

            internal SshHostKeyInfo Key { get; set; }

            internal Exception Error { get; set; }
        }
    }
}
