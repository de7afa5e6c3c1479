using System;
using System.IO;
using System.Management.Automation;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Copies a file from many hosts over SFTP into one local folder per host.</summary>
    [Cmdlet(VerbsCommunications.Receive, "RoFile")]
    [OutputType(typeof(FileTransferResult))]
    public sealed class ReceiveRoFileCommand : SshFanOutCmdletBase<FileTransferResult>
    {
        private string localRoot;

        /// <summary>The remote file to fetch.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The local folder; each host's copy goes to Destination/ComputerName/ (ComputerName_Port when the port is not 22).</summary>
        [Parameter(Mandatory = true, Position = 2)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        /// <inheritdoc />
        protected override string ProgressActivity => "Receive-RoFile";

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (Path.IndexOf('\0') >= 0 || Path.EndsWith("/", StringComparison.Ordinal))
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("InvalidRemotePath", $"-Path '{Path}' must name a remote file (no trailing slash, no NUL).", Path));
            }

            localRoot = ResolveLocalPath(Destination);
            if (File.Exists(localRoot))
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("DestinationIsFile", $"-Destination '{Destination}' is a file; give a folder (it is created if missing).", Destination));
            }

            base.BeginProcessing();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string[] pins = PinsOfThisRecord();

            foreach (string name in ComputerName)
            {
                SshTarget target = ParseTarget(name);
                if (target == null)
                {
                    continue;
                }

                string folder = target.Port == 22 ? target.Host : $"{target.Host}_{target.Port}";
                string localFile = System.IO.Path.Combine(localRoot, SafeFolderName(folder), RemoteFileName(Path));
                SshConnectOptions options = BuildConnectOptions(target, pins);
                if (options == null)
                {
                    continue;
                }

                SshCredentials credentials = BuildCredentials(target.UserName);
                TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSec);
                string remote = Path;
                Schedule(
                    token => SshHostWork.DownloadAsync(target, credentials, options, remote, localFile, timeout, token),
                    error => TransferFaults.For(target, TransferDirection.Download, remote, localFile, error));
            }
        }

        /// <inheritdoc />
        protected override void WriteHostResult(FileTransferResult result)
        {
            AuditRecordedHostKey(result.ComputerName, result.Port, result.HostKeyRecorded, result.HostKeyFingerprint);

            WriteHostOutcome(result, result.Status, result.ComputerName, result.Message, result.Remedy);
        }

        private static string RemoteFileName(string remotePath)
        {
            int slash = remotePath.LastIndexOf('/');
            return slash >= 0 ? remotePath.Substring(slash + 1) : remotePath;
        }

        // IPv6 addresses contain ':' which Windows does not allow in folder names.
        private static string SafeFolderName(string name) => name.Replace(':', '_');
    }
}
