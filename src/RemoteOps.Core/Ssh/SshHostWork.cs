using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// The per-host work of the SSH fan-out cmdlets. Each method turns every failure into a
    /// classified result instead of throwing, so one host can never stop the others.
    /// </summary>
    public static class SshHostWork
    {
        /// <summary>Connects, runs one command line and reports the outcome.</summary>
        public static async Task<SshCommandResult> RunCommandAsync(
            SshTarget target,
            SshCredentials credentials,
            SshConnectOptions options,
            string commandLine,
            TimeSpan commandTimeout,
            bool useSudo,
            CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            SshCommandResult result = SshCommandResult.ForTarget(target, DateTimeOffset.UtcNow);
            try
            {
                using (SshSession session = await SshSession.ConnectAsync(target, credentials, options, cancellationToken).ConfigureAwait(false))
                {
                    NoteHostKey(session.HostKeyVerdict, fingerprint => result.HostKeyFingerprint = fingerprint, recorded => result.HostKeyRecorded = recorded);
                    SshCommandOutput output = await session.RunAsync(commandLine, commandTimeout, useSudo, cancellationToken).ConfigureAwait(false);
                    result.Output = output.StandardOutput;
                    result.StandardError = output.StandardError;
                    result.ExitCode = output.ExitCode;
                    if (output.TimedOut)
                    {
                        result.Status = HostStatus.TimedOut;
                        result.Message = $"The command ran past {commandTimeout.TotalSeconds:0.#} s on {target} and was stopped.";
                        result.Remedy = "Raise -TimeoutSec if the command needs longer.";
                    }
                    else if (output.ExitCode == 0)
                    {
                        result.Status = HostStatus.Succeeded;
                    }
                    else
                    {
                        result.Status = HostStatus.Failed;
                        result.Message = output.ExitCode.HasValue
                            ? $"The command exited with code {output.ExitCode} on {target}."
                            : $"The command on {target} ended without an exit code (killed by a signal).";
                    }
                }
            }
            catch (Exception error)
            {
                Record(result, error, target, cancellationToken);
            }

            result.Duration = clock.Elapsed;
            return result;
        }

        /// <summary>Uploads one local file to a remote path, atomically.</summary>
        public static async Task<FileTransferResult> UploadAsync(
            SshTarget target,
            SshCredentials credentials,
            SshConnectOptions options,
            string localPath,
            string remotePath,
            TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var result = NewTransfer(target, TransferDirection.Upload, localPath, remotePath);
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                try
                {
                    using (SftpSession session = await SftpSession.ConnectAsync(target, credentials, options, deadline.Token).ConfigureAwait(false))
                    {
                        NoteHostKey(session.HostKeyVerdict, fingerprint => result.HostKeyFingerprint = fingerprint, recorded => result.HostKeyRecorded = recorded);
                        string destination = remotePath;
                        if (await session.IsDirectoryAsync(remotePath, deadline.Token).ConfigureAwait(false))
                        {
                            destination = remotePath.TrimEnd('/') + "/" + Path.GetFileName(localPath);
                        }

                        result.Destination = destination;
                        using (var file = File.OpenRead(localPath))
                        using (var hashing = new HashingStream(file))
                        {
                            await session.UploadAsync(hashing, destination, deadline.Token).ConfigureAwait(false);
                            result.Bytes = hashing.BytesRead;
                            result.Sha256 = hashing.FinishHex();
                        }

                        result.Status = HostStatus.Succeeded;
                    }
                }
                catch (Exception error)
                {
                    RecordTransfer(result, error, target, timeout, cancellationToken);
                }
            }

            result.Duration = clock.Elapsed;
            return result;
        }

        /// <summary>Downloads one remote file into a local file, written under a temporary name and moved into place.</summary>
        public static async Task<FileTransferResult> DownloadAsync(
            SshTarget target,
            SshCredentials credentials,
            SshConnectOptions options,
            string remotePath,
            string localPath,
            TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var result = NewTransfer(target, TransferDirection.Download, remotePath, localPath);
            string partial = RemotePath.TemporaryBeside(localPath);
            string folder = Path.GetDirectoryName(Path.GetFullPath(localPath));
            bool createdFolder = !Directory.Exists(folder);
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                try
                {
                    using (SftpSession session = await SftpSession.ConnectAsync(target, credentials, options, deadline.Token).ConfigureAwait(false))
                    {
                        NoteHostKey(session.HostKeyVerdict, fingerprint => result.HostKeyFingerprint = fingerprint, recorded => result.HostKeyRecorded = recorded);
                        Directory.CreateDirectory(folder);
                        using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
                        using (var hashing = new HashingStream(file))
                        {
                            await session.DownloadAsync(remotePath, hashing, deadline.Token).ConfigureAwait(false);
                            result.Bytes = hashing.BytesWritten;
                            result.Sha256 = hashing.FinishHex();
                        }

                        // Replace is a rename over the old file: readers see the old copy or the new one.
                        if (File.Exists(localPath))
                        {
                            File.Replace(partial, localPath, null);
                        }
                        else
                        {
                            File.Move(partial, localPath);
                        }
                        result.Status = HostStatus.Succeeded;
                    }
                }
                catch (Exception error)
                {
                    RecordTransfer(result, error, target, timeout, cancellationToken);
                }
                finally
                {
                    if (File.Exists(partial))
                    {
                        File.Delete(partial);
                    }

                    // A failed first download leaves no empty per-host folder behind.
                    if (createdFolder && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                    {
                        Directory.Delete(folder);
                    }
                }
            }

            result.Duration = clock.Elapsed;
            return result;
        }

        private static void NoteHostKey(HostKeyVerdict verdict, Action<string> fingerprint, Action<bool> recorded)
        {
            if (verdict != null)
            {
                fingerprint(verdict.PresentedFingerprint);
                recorded(verdict.Kind == HostKeyVerdictKind.TrustedAndRecorded);
            }
        }

        private static FileTransferResult NewTransfer(SshTarget target, TransferDirection direction, string source, string destination) => new FileTransferResult
        {
            ComputerName = target.Host,
            Port = target.Port,
            Direction = direction,
            Source = source,
            Destination = destination,
            StartTime = DateTimeOffset.UtcNow,
        };

        private static void Record(SshCommandResult result, Exception error, SshTarget target, CancellationToken cancellationToken)
        {
            Failure failure = Classify(error, target, cancellationToken);
            result.Status = failure.Status;
            result.Message = failure.Message;
            result.Remedy = failure.Remedy;
            if (error is SshFailureException ssh && ssh.PresentedFingerprint != null)
            {
                result.HostKeyFingerprint = ssh.PresentedFingerprint;
            }
        }

        private static void RecordTransfer(FileTransferResult result, Exception error, SshTarget target, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Failure failure = Classify(error, target, cancellationToken);
            if (failure.Status == HostStatus.Cancelled && !cancellationToken.IsCancellationRequested)
            {
                failure = new Failure(HostStatus.TimedOut, $"The transfer with {target} ran past {timeout.TotalSeconds:0.#} s and was stopped.", "Raise -TimeoutSec for large files or slow links.");
            }

            result.Status = failure.Status;
            result.Message = failure.Message;
            result.Remedy = failure.Remedy;
        }

        private static Failure Classify(Exception error, SshTarget target, CancellationToken cancellationToken)
        {
            switch (error)
            {
                case SshFailureException ssh:
                    return new Failure(ssh.Status, ssh.Message, ssh.Remedy);
                case OperationCanceledException _:
                    return new Failure(HostStatus.Cancelled, $"Work on {target} was stopped before it finished.", null);
                case Renci.SshNet.Common.SftpPathNotFoundException notFound:
                    return new Failure(HostStatus.Failed, $"{target}: no such remote file or directory ({notFound.Message}).", "Check the remote path.");
                case Renci.SshNet.Common.SftpPermissionDeniedException denied:
                    return new Failure(HostStatus.Failed, $"{target}: permission denied ({denied.Message}).", "Check the remote path's permissions for this account.");
                case IOException io:
                    return new Failure(HostStatus.Failed, $"{target}: {io.Message}", null);
                case UnauthorizedAccessException access:
                    return new Failure(HostStatus.Failed, $"{target}: {access.Message}", null);
                case ArgumentException argument:
                    return new Failure(HostStatus.Failed, argument.Message, null);
                default:
                    return new Failure(HostStatus.Failed, $"{target}: {error.GetType().Name}: {error.Message}", null);
            }
        }

        private struct Failure
        {
            internal Failure(HostStatus status, string message, string remedy)
            {
                Status = status;
                Message = message;
                Remedy = remedy;
            }

            internal HostStatus Status { get; }

            internal string Message { get; }

            internal string Remedy { get; }
        }
    }
}
