using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// The per-host work of the SSH fan-out cmdlets, over a fresh or a held connection. Each
    /// method runs through <see cref="HostRun"/>, so every failure becomes a classified result
    /// instead of an exception and one host can never stop the others.
    /// </summary>
    public static class SshHostWork
    {
        /// <summary>Connects, runs one command line and reports the outcome.</summary>
        public static Task<SshCommandResult> RunCommandAsync(
            SshTarget target,
            SshCredentials credentials,
            SshConnectOptions options,
            string commandLine,
            TimeSpan commandTimeout,
            bool useSudo,
            CancellationToken cancellationToken)
            => RunCommandAsync(new FreshSshSessionSource(target, credentials, options), commandLine, commandTimeout, useSudo, cancellationToken);

        /// <summary>Runs one command line over a connection from <paramref name="source"/> and reports the outcome.</summary>
        public static Task<SshCommandResult> RunCommandAsync(
            ISshSessionSource source,
            string commandLine,
            TimeSpan commandTimeout,
            bool useSudo,
            CancellationToken cancellationToken)
        {
            SshTarget target = source.Target;
            return HostRun.RunAsync(
                SshCommandResult.ForTarget(target, DateTimeOffset.UtcNow),
                async (result, token) =>
                {
                    using (SshLease<SshSession> lease = await source.AcquireShellAsync(token).ConfigureAwait(false))
                    {
                        NoteLease(result, lease.HostKeyVerdict, lease.Reconnected);
                        SshCommandOutput output = await lease.Session.RunStoppableAsync(commandLine, commandTimeout, useSudo, token).ConfigureAwait(false);
                        result.Output = output.StandardOutput;
                        result.StandardError = output.StandardError;
                        result.ExitCode = output.ExitCode;
                        result.RemoteStopped = output.RemoteStop?.Stopped;
                        string onHost = output.RemoteStop == null ? string.Empty : " " + output.RemoteStop.Message;
                        if (output.Cancelled)
                        {
                            result.Status = HostStatus.Cancelled;
                            result.Message = $"Work on {target} was stopped before it finished." + onHost;
                        }
                        else if (output.TimedOut)
                        {
                            result.Status = HostStatus.TimedOut;
                            result.Message = $"The command ran past {commandTimeout.TotalSeconds:0.#} s on {target} and was stopped." + onHost;
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
                },
                (error, token) => SshFailureClassifier.ForWork(target, error, token),
                cancellationToken);
        }

        /// <summary>
        /// The result of a command whose work never produced one: stopped before it started, or
        /// still running when the stop stopped waiting for it, in which case the command may
        /// still be running on the host (RemoteStopped false).
        /// </summary>
        public static SshCommandResult CommandFaulted(SshTarget target, Exception error)
        {
            SshCommandResult result = HostRun.Faulted(SshCommandResult.ForTarget(target), target.ToString(), error);
            if (error is WorkStillRunningException)
            {
                result.RemoteStopped = false;
            }

            return result;
        }

        /// <summary>
        /// The audit detail of a command: the command line, and for a command that was timed out
        /// or stopped, what its result says about that, including whether it was ended on the
        /// host, confirmed or not: the log must tell which commands may still be running.
        /// </summary>
        public static string AuditDetail(string commandLine, SshCommandResult result)
        {
            bool stopped = result != null && (result.Status == HostStatus.Cancelled || result.Status == HostStatus.TimedOut);
            if (!stopped || string.IsNullOrEmpty(result.Message))
            {
                return commandLine;
            }

            return commandLine + " -- " + result.Message;
        }

        /// <summary>Uploads one local file to a remote path, atomically.</summary>
        public static Task<FileTransferResult> UploadAsync(
            SshTarget target,
            SshCredentials credentials,
            SshConnectOptions options,
            string localPath,
            string remotePath,
            TimeSpan timeout,
            CancellationToken cancellationToken)
            => UploadAsync(new FreshSshSessionSource(target, credentials, options), localPath, remotePath, timeout, cancellationToken);

        /// <summary>Uploads one local file to a remote path, atomically, over a connection from <paramref name="source"/>.</summary>
        public static async Task<FileTransferResult> UploadAsync(
            ISshSessionSource source,
            string localPath,
            string remotePath,
            TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            SshTarget target = source.Target;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                return await HostRun.RunAsync(
                    FileTransferResult.ForTarget(target, TransferDirection.Upload, localPath, remotePath),
                    async (result, token) =>
                    {
                        using (SshLease<SftpSession> lease = await source.AcquireSftpAsync(token).ConfigureAwait(false))
                        {
                            NoteLease(result, lease.HostKeyVerdict, lease.Reconnected);
                            SftpSession session = lease.Session;
                            string destination = remotePath;
                            if (await session.IsDirectoryAsync(remotePath, token).ConfigureAwait(false))
                            {
                                destination = remotePath.TrimEnd('/') + "/" + Path.GetFileName(localPath);
                            }

                            result.Destination = destination;
                            using (var file = File.OpenRead(localPath))
                            using (var hashing = new HashingStream(file))
                            {
                                await session.UploadAsync(hashing, destination, token).ConfigureAwait(false);
                                result.Bytes = hashing.BytesRead;
                                result.Sha256 = hashing.FinishHex();
                            }

                            result.Status = HostStatus.Succeeded;
                        }
                    },
                    (error, _) => SshFailureClassifier.ForWork(target, error, cancellationToken, timeout, "transfer"),
                    deadline.Token).ConfigureAwait(false);
            }
        }

        /// <summary>Downloads one remote file into a local file, written under a temporary name and moved into place.</summary>
        public static Task<FileTransferResult> DownloadAsync(
            SshTarget target,
            SshCredentials credentials,
            SshConnectOptions options,
            string remotePath,
            string localPath,
            TimeSpan timeout,
            CancellationToken cancellationToken)
            => DownloadAsync(new FreshSshSessionSource(target, credentials, options), remotePath, localPath, timeout, cancellationToken);

        /// <summary>Downloads one remote file over a connection from <paramref name="source"/>, written under a temporary name and moved into place.</summary>
        public static async Task<FileTransferResult> DownloadAsync(
            ISshSessionSource source,
            string remotePath,
            string localPath,
            TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            SshTarget target = source.Target;
            string partial = RemotePath.TemporaryBeside(localPath);
            string folder = Path.GetDirectoryName(Path.GetFullPath(localPath));
            bool createdFolder = !Directory.Exists(folder);
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                try
                {
                    return await HostRun.RunAsync(
                        FileTransferResult.ForTarget(target, TransferDirection.Download, remotePath, localPath),
                        async (result, token) =>
                        {
                            using (SshLease<SftpSession> lease = await source.AcquireSftpAsync(token).ConfigureAwait(false))
                            {
                                NoteLease(result, lease.HostKeyVerdict, lease.Reconnected);
                                Directory.CreateDirectory(folder);
                                using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
                                using (var hashing = new HashingStream(file))
                                {
                                    await lease.Session.DownloadAsync(remotePath, hashing, token).ConfigureAwait(false);
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
                        },
                        (error, _) => SshFailureClassifier.ForWork(target, error, cancellationToken, timeout, "transfer"),
                        deadline.Token).ConfigureAwait(false);
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
        }

        /// <summary>Opens a held session and reports the outcome; the session is on the result when it succeeded.</summary>
        public static async Task<SshSessionOpenResult> OpenSessionAsync(
            SshTarget target,
            SshCredentials credentials,
            SshConnectOptions options,
            string name,
            TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            var opening = new SshSessionOpenResult
            {
                ComputerName = target.Host,
                Port = target.Port,
                UserName = target.UserName,
                StartTime = DateTimeOffset.UtcNow,
            };
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                return await HostRun.RunAsync(
                    opening,
                    async (result, token) =>
                    {
                        OpenedHeldSession opened = await HeldSshSession.OpenAsync(target, credentials, options, name, token).ConfigureAwait(false);
                        NoteLease(result, opened.HostKeyVerdict, reconnected: false);
                        result.Session = opened.Session;
                        result.Status = HostStatus.Succeeded;
                    },
                    (error, _) => SshFailureClassifier.ForWork(target, error, cancellationToken, timeout, "session opening"),
                    deadline.Token).ConfigureAwait(false);
            }
        }

        /// <summary>Records on a host's result how its connection was had: reconnected, and the host key trusted (and recorded) on opening.</summary>
        internal static void NoteLease(HostResult result, HostKeyVerdict verdict, bool reconnected)
        {
            result.Reconnected = reconnected;
            if (verdict != null)
            {
                result.HostKeyFingerprint = verdict.PresentedFingerprint;
                result.HostKeyRecorded = verdict.Kind == HostKeyVerdictKind.TrustedAndRecorded;
            }
        }
    }
}
