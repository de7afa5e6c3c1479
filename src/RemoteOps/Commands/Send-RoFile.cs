using System;
using System.IO;
using System.Management.Automation;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Copies local files to many hosts over SFTP, in parallel, one result per host and file.</summary>
    [Cmdlet(VerbsCommunications.Send, "RoFile", HelpUri = HelpLinks.CmdletReference + "Send-RoFile.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(FileTransferResult))]
    public sealed class SendRoFileCommand : SshWorkCmdletBase<FileTransferResult>
    {
        private string[] localFiles;

        /// <summary>Local files to send.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>The remote file or directory. A directory receives each file under its own name.</summary>
        [Parameter(Mandatory = true, Position = 2)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        /// <inheritdoc />
        protected override string ProgressActivity => "Send-RoFile";

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            localFiles = new string[Path.Length];
            for (int i = 0; i < Path.Length; i++)
            {
                string resolved = ResolveLocalPath(Path[i]);
                if (!File.Exists(resolved))
                {
                    ThrowTerminatingError(ArgumentErrors.Invalid(
                        "LocalFileNotFound",
                        $"The file '{Path[i]}' does not exist or is a directory. -Path takes existing local files.",
                        Path[i]));
                }

                localFiles[i] = resolved;
            }

            try
            {
                RemotePath.Validate(Destination, "-Destination");
                foreach (string localFile in localFiles)
                {
                    // The file keeps its own name when -Destination is a folder on the host.
                    RemotePath.Validate(System.IO.Path.GetFileName(localFile), $"The name of '{localFile}'");
                }
            }
            catch (ArgumentException error)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("InvalidDestination", error.Message, Destination, error));
            }

            if (localFiles.Length > 1 && !Destination.EndsWith("/", StringComparison.Ordinal))
            {
                // Several files into one remote name would overwrite each other.
                Destination += "/";
            }

            base.BeginProcessing();
            Audit.RequireWritable();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (ISshSessionSource source in SourcesOfThisRecord())
            {
                SshTarget target = source.Target;
                foreach (string localFile in localFiles)
                {
                    if (!ShouldProcess(target.ToString(), $"Copy '{localFile}' to '{Destination}'"))
                    {
                        continue;
                    }

                    TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSec);
                    string file = localFile;
                    string destination = Destination;
                    Schedule(
                        token => SshHostWork.UploadAsync(source, file, destination, timeout, token),
                        error => HostRun.Faulted(FileTransferResult.ForTarget(target, TransferDirection.Upload, file, destination), target.ToString(), error));
                }
            }
        }

        /// <inheritdoc />
        protected override void AuditHostResult(FileTransferResult result)
        {
            AuditRecordedHostKey(result.ComputerName, result.Port, result.HostKeyRecorded, result.HostKeyFingerprint);
            Audit.Record($"{result.ComputerName}:{result.Port}", "Send-RoFile", result.Status.ToString(), $"{result.Source} -> {result.Destination} ({result.Bytes} bytes, sha256 {result.Sha256})");
        }

        /// <inheritdoc />
        protected override void WriteHostResult(FileTransferResult result)
        {
            WriteHostOutcome(result);
        }
    }
}
