using System;
using System.IO;
using System.Management.Automation;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Copies a file from many hosts over SFTP into one local folder per host.</summary>
    [Cmdlet(VerbsCommunications.Receive, "RoFile", HelpUri = HelpLinks.CmdletReference + "Receive-RoFile.md", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(FileTransferResult))]
    public sealed class ReceiveRoFileCommand : SshWorkCmdletBase<FileTransferResult>
    {
        private DownloadLayout layout;

        /// <summary>The remote file to fetch.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The local folder; each host's copy goes to Destination/ComputerName/ (ComputerName+Port when the port is not 22).</summary>
        [Parameter(Mandatory = true, Position = 2)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        /// <inheritdoc />
        protected override string ProgressActivity => "Receive-RoFile";

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            string localRoot = ResolveLocalPath(Destination);
            if (File.Exists(localRoot))
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("DestinationIsFile", $"-Destination '{Destination}' is a file; give a folder (it is created if missing).", Destination));
            }

            try
            {
                layout = new DownloadLayout(localRoot, Path);
            }
            catch (ArgumentException error)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("InvalidRemotePath", $"-Path: {error.Message}", Path, error));
            }

            base.BeginProcessing();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (ISshSessionSource source in SourcesOfThisRecord())
            {
                SshTarget target = source.Target;
                if (!layout.TryClaim(target, out string localFile, out SshTarget holder))
                {
                    WriteError(ArgumentErrors.Invalid(
                        "DownloadPathCollision",
                        $"{target} would be saved to '{localFile}', which {holder} already uses in this run (the same host, or the same host spelled differently); it was not contacted. Receive from it in a separate run with another -Destination.",
                        target.ToString()));
                    continue;
                }

                TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSec);
                string remote = Path;
                Schedule(
                    token => SshHostWork.DownloadAsync(source, remote, localFile, timeout, token),
                    error => HostRun.Faulted(FileTransferResult.ForTarget(target, TransferDirection.Download, remote, localFile), target.ToString(), error));
            }
        }

        /// <inheritdoc />
        protected override void AuditHostResult(FileTransferResult result)
            => AuditRecordedHostKey(result.ComputerName, result.Port, result.HostKeyRecorded, result.HostKeyFingerprint);

        /// <inheritdoc />
        protected override void WriteHostResult(FileTransferResult result)
        {
            WriteHostOutcome(result);
        }
    }
}
