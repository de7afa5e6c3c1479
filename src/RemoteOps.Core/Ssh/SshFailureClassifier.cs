using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using RemoteOps.Core.Hosts;
using Renci.SshNet.Common;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Turns what SSH.NET, SFTP, the socket layer, the file system and held sessions throw into
    /// one classified failure: the only place that decides how a failure on a host is reported.
    /// </summary>
    internal static class SshFailureClassifier
    {
        /// <summary>
        /// Classifies a failure of one host's work (connecting included). A stop that the caller
        /// did not ask for is the work's own time limit: TimedOut when <paramref name="timeLimit"/> is given.
        /// </summary>
        internal static HostFailure ForWork(SshTarget target, Exception error, CancellationToken callerToken, TimeSpan? timeLimit = null, string work = "work")
        {
            switch (error)
            {
                case SshFailureException ssh:
                    return new HostFailure(ssh.Status, ssh.Message, ssh.Remedy, ssh.PresentedFingerprint);
                case HeldConnectionBrokenException broken:
                    return ForBrokenSession(target, broken);
                case HeldConnectionClosedException _:
                    return new HostFailure(
                        HostStatus.Failed,
                        $"The session to {target} was closed (Remove-RoSshSession, the module removed or its runspace ended).",
                        "Open a new one with New-RoSshSession.");
                case OperationCanceledException _ when timeLimit.HasValue && !callerToken.IsCancellationRequested:
                    return new HostFailure(
                        HostStatus.TimedOut,
                        $"The {work} with {target} ran past {timeLimit.Value.TotalSeconds:0.#} s and was stopped.",
                        "Raise -TimeoutSec for large files or slow links.");
                case OperationCanceledException _:
                    return new HostFailure(HostStatus.Cancelled, $"Work on {target} was stopped before it finished.");
                case SftpPathNotFoundException notFound:
                    return new HostFailure(HostStatus.Failed, $"{target}: no such remote file or directory ({notFound.Message}).", "Check the remote path.");
                case SftpPermissionDeniedException denied:
                    return new HostFailure(HostStatus.Failed, $"{target}: permission denied ({denied.Message}).", "Check the remote path's permissions for this account.");
                case SshConnectionException dropped:
                    return new HostFailure(
                        HostStatus.Unreachable,
                        $"The SSH connection to {target} dropped: {dropped.Message}",
                        "Run the work again; a held session reconnects on its next use.");
                case IOException io:
                    return new HostFailure(HostStatus.Failed, $"{target}: {io.Message}");
                case UnauthorizedAccessException access:
                    return new HostFailure(HostStatus.Failed, $"{target}: {access.Message}");
                case ArgumentException argument:
                    return new HostFailure(HostStatus.Failed, argument.Message);
                default:
                    return new HostFailure(HostStatus.Failed, $"{target}: {error.GetType().Name}: {error.Message}");
            }
        }

        /// <summary>Classifies a failure while connecting (TCP, key exchange, authentication).</summary>
        internal static SshFailureException ForConnect(SshTarget target, Exception error, TimeSpan connectTimeout)
        {
            if (error is SshFailureException classified)
            {
                return classified;
            }

            Exception root = Unwrap(error);
            string host = target.ToString();
            switch (root)
            {
                case SshAuthenticationException _:
                    return new SshFailureException(
                        HostStatus.AuthenticationFailed,
                        target.Host,
                        $"{host} refused the credentials for user '{target.UserName}': {root.Message}",
                        "Check the user name, key file, key passphrase or password, and that the key is in the account's authorized_keys.",
                        error);
                case SocketException socket:
                    return new SshFailureException(
                        HostStatus.Unreachable,
                        target.Host,
                        $"Could not connect to {host}: {socket.SocketErrorCode} ({socket.Message}).",
                        "Check that the host is up, that sshd listens on that port and that no firewall drops the connection.",
                        error);
                case OperationCanceledException _:
                case SshOperationTimeoutException _:
                case TimeoutException _:
                    return new SshFailureException(
                        HostStatus.Unreachable,
                        target.Host,
                        $"Could not connect to {host} within {connectTimeout.TotalSeconds:0.#} s.",
                        "Check that the host is up and reachable, or raise -ConnectTimeoutSec.",
                        error);
                case ProxyException proxy:
                    return new SshFailureException(
                        HostStatus.Unreachable,
                        target.Host,
                        $"Could not reach {host} through the jump host: {proxy.Message}",
                        "Check the jump host and that it may open connections to the target.",
                        error);
                case SshConnectionException connection:
                    return new SshFailureException(
                        HostStatus.Unreachable,
                        target.Host,
                        $"The SSH connection to {host} failed: {connection.Message}",
                        "Check that the port speaks SSH and that the server accepts one of the offered algorithms.",
                        error);
                default:
                    return new SshFailureException(
                        HostStatus.Failed,
                        target.Host,
                        $"Connecting to {host} failed: {root.Message}",
                        null,
                        error);
            }
        }

        // The failure that broke the session keeps its classification (a changed host key stays
        // HostKeyMismatch), and the message says that it was the held session's reconnect.
        private static HostFailure ForBrokenSession(SshTarget target, HeldConnectionBrokenException broken)
        {
            HostFailure cause = broken.InnerException is SshFailureException ssh
                ? new HostFailure(ssh.Status, ssh.Message, ssh.Remedy, ssh.PresentedFingerprint)
                : new HostFailure(HostStatus.Failed, broken.InnerException?.Message ?? "unknown failure");
            string message = broken.JustBroken
                ? $"The held session to {target} was dropped by the far end and could not be reconnected: {cause.Message}"
                : $"The held session to {target} is broken (its reconnect failed): {cause.Message}";
            const string Replace = "emove the session with Remove-RoSshSession and open a new one with New-RoSshSession.";
            string remedy = cause.Remedy == null ? "R" + Replace : cause.Remedy + " Then r" + Replace;
            return new HostFailure(cause.Status, message, remedy, cause.PresentedFingerprint);
        }

        private static Exception Unwrap(Exception error)
        {
            while (error is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            {
                error = aggregate.InnerException;
            }

            // SSH.NET wraps socket errors of the initial connect in its own exception on some paths.
            if (error is SshConnectionException && error.InnerException is SocketException socket)
            {
                return socket;
            }

            return error;
        }
    }
}
