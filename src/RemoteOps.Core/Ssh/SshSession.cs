using System;
using System.Threading;
using System.Threading.Tasks;
using Renci.SshNet;

namespace RemoteOps.Core.Ssh
{
    /// <summary>An authenticated connection to one host that runs commands.</summary>
    public sealed class SshSession : IDisposable
    {
        private readonly SshConnector.Connected<SshClient> connection;
        private readonly bool ownsConnection;

        internal SshSession(SshTarget target, SshConnector.Connected<SshClient> connection, bool ownsConnection = true)
        {
            Target = target;
            this.connection = connection;
            this.ownsConnection = ownsConnection;
        }

        /// <summary>The host this session is connected to.</summary>
        public SshTarget Target { get; }

        /// <summary>Why the host key was trusted.</summary>
        public HostKeyVerdict HostKeyVerdict => connection.Verdict;

        /// <summary>
        /// Connects, verifies the host key and authenticates. Throws
        /// <see cref="SshFailureException"/> with the failure classified.
        /// </summary>
        public static async Task<SshSession> ConnectAsync(SshTarget target, SshCredentials credentials, SshConnectOptions options, CancellationToken cancellationToken)
        {
            var connection = await SshConnector.ConnectAsync(target, credentials, options, info => new SshClient(info), cancellationToken).ConfigureAwait(false);
            return new SshSession(target, connection);
        }

        /// <summary>
        /// Runs a command line. The text goes to the remote shell as it is: build it with
        /// <see cref="PosixShell"/> from validated values. With <paramref name="useSudo"/> the
        /// line runs under 'sudo -n', which fails instead of prompting.
        /// </summary>
        public Task<SshCommandOutput> RunAsync(string commandLine, TimeSpan timeout, bool useSudo, CancellationToken cancellationToken)
            => RunAsync(commandLine, null, timeout, useSudo, cancellationToken);

        /// <summary>
        /// Runs a command line and writes <paramref name="standardInput"/> to it, then closes its
        /// input. Secrets (new passwords) go this way, never on a command line, where any local
        /// user could read them in the process list.
        /// </summary>
        public async Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, TimeSpan timeout, bool useSudo, CancellationToken cancellationToken)
        {
            string text = RemoteCommandLine.Validate(commandLine, useSudo);
            using (SshCommand command = connection.Client.CreateCommand(text))
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                try
                {
                    Task execution = command.ExecuteAsync(deadline.Token);
                    if (standardInput != null)
                    {
                        using (var input = command.CreateInputStream())
                        {
                            byte[] bytes = new System.Text.UTF8Encoding(false).GetBytes(standardInput);
                            await input.WriteAsync(bytes, 0, bytes.Length, deadline.Token).ConfigureAwait(false);
                        }
                    }

                    await execution.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    StopRemoteProcess(command);
                    return new SshCommandOutput(null, SafeRead(() => command.Result), SafeRead(() => command.Error), timedOut: true);
                }
                catch (OperationCanceledException)
                {
                    StopRemoteProcess(command);
                    throw;
                }

                return new SshCommandOutput(command.ExitStatus, command.Result, command.Error, timedOut: false);
            }
        }

        /// <summary>Closes the connection, unless it is a held one lent for one use.</summary>
        public void Dispose()
        {
            if (ownsConnection)
            {
                connection.Dispose();
            }
        }

        // A timed-out command must not live on: OpenSSH (7.9 and later) honours the KILL signal request.
        private static void StopRemoteProcess(SshCommand command)
        {
            try
            {
                command.CancelAsync(forceKill: true, millisecondsTimeout: 500);
            }
            catch (Exception)
            {
                // The channel may be closed already; closing the connection ends the rest.
            }
        }

        private static string SafeRead(Func<string> read)
        {
            try
            {
                return read();
            }
            catch (Exception)
            {
                return string.Empty;
            }
        }
    }
}
