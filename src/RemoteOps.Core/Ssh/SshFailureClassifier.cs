using System;
using System.Net.Sockets;
using RemoteOps.Core.Hosts;
using Renci.SshNet.Common;

namespace RemoteOps.Core.Ssh
{
    /// <summary>Turns what SSH.NET and the socket layer throw into one classified failure.</summary>
    internal static class SshFailureClassifier
    {
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
