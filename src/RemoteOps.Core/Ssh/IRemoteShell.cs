using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Runs command lines on one host over a connection that stays open between calls.
    /// Drivers that manage a device over SSH depend on this, so they can be tested with a fake.
    /// </summary>
    public interface IRemoteShell : IDisposable
    {
        /// <summary>The host, for messages.</summary>
        string Host { get; }

        /// <summary>
        /// Runs a command line (built with <see cref="PosixShell"/>) as the account that signed
        /// in, never under sudo, optionally feeding <paramref name="standardInput"/>.
        /// </summary>
        Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, CancellationToken cancellationToken);

        /// <summary>
        /// Runs one program with its arguments (<paramref name="command"/>[0] is the program),
        /// under 'sudo -n' when the shell was opened that way: sudo runs the program itself, with
        /// no shell in between, so a sudoers rule can name exactly the commands allowed.
        /// </summary>
        Task<SshCommandOutput> RunPrivilegedAsync(IReadOnlyList<string> command, string standardInput, CancellationToken cancellationToken);
    }

    /// <summary>
    /// An <see cref="IRemoteShell"/> over one SSH.NET session. Every command is a channel on that
    /// one connection, so commands run at the same time go through a <see cref="SshChannelGate"/>:
    /// never more at once than the server's per-connection limit allows.
    /// </summary>
    public sealed class SshRemoteShell : IRemoteShell
    {
        private readonly SshSession session;
        private readonly bool useSudo;
        private readonly TimeSpan commandTimeout;
        private readonly SshChannelGate gate;

        /// <summary>Wraps a connected session.</summary>
        /// <param name="session">The connection; disposed with the shell.</param>
        /// <param name="useSudo">Run privileged programs under 'sudo -n'.</param>
        /// <param name="commandTimeout">Time allowed per command.</param>
        /// <param name="maxChannels">Commands (channels) open at once on the connection; keep it below the server's MaxSessions (OpenSSH: 10).</param>
        public SshRemoteShell(SshSession session, bool useSudo, TimeSpan commandTimeout, int maxChannels = SshChannelGate.DefaultMaxChannels)
        {
            this.session = session ?? throw new ArgumentNullException(nameof(session));
            this.useSudo = useSudo;
            this.commandTimeout = commandTimeout;
            gate = new SshChannelGate(maxChannels);
        }

        /// <inheritdoc />
        public string Host => session.Target.ToString();

        /// <summary>The most commands open at once on the connection.</summary>
        public int MaxChannels => gate.MaxChannels;

        /// <inheritdoc />
        public Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, CancellationToken cancellationToken)
            => gate.RunAsync(Host, token => session.RunAsync(commandLine, standardInput, commandTimeout, false, token), cancellationToken);

        /// <inheritdoc />
        public Task<SshCommandOutput> RunPrivilegedAsync(IReadOnlyList<string> command, string standardInput, CancellationToken cancellationToken)
        {
            string line = PrivilegedCommandLine(command, useSudo);
            return gate.RunAsync(Host, token => session.RunAsync(line, standardInput, commandTimeout, false, token), cancellationToken);
        }

        /// <summary>"sudo -n -- PROGRAM ARGS..." (or the command alone), every word quoted.</summary>
        internal static string PrivilegedCommandLine(IReadOnlyList<string> command, bool useSudo)
        {
            if (command == null || command.Count == 0 || string.IsNullOrEmpty(command[0]))
            {
                throw new ArgumentException("A program is required.", nameof(command));
            }

            var words = new List<string>(command);
            string program = words[0];
            words.RemoveAt(0);
            string line = PosixShell.JoinCommand(program, words.ToArray());
            return useSudo ? "sudo -n -- " + line : line;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            session.Dispose();
            gate.Dispose();
        }
    }
}
