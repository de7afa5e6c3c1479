using System;
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
        /// Runs a command line (built with <see cref="PosixShell"/>), optionally feeding
        /// <paramref name="standardInput"/>, under 'sudo -n' when the shell was opened that way.
        /// </summary>
        Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, CancellationToken cancellationToken);
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
        /// <param name="useSudo">Run every command under 'sudo -n'.</param>
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
            => gate.RunAsync(Host, token => session.RunAsync(commandLine, standardInput, commandTimeout, useSudo, token), cancellationToken);

        /// <inheritdoc />
        public void Dispose()
        {
            session.Dispose();
            gate.Dispose();
        }
    }
}
