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

    /// <summary>An <see cref="IRemoteShell"/> over one SSH.NET session.</summary>
    public sealed class SshRemoteShell : IRemoteShell
    {
        private readonly SshSession session;
        private readonly bool useSudo;
        private readonly TimeSpan commandTimeout;

        /// <summary>Wraps a connected session.</summary>
        public SshRemoteShell(SshSession session, bool useSudo, TimeSpan commandTimeout)
        {
            this.session = session ?? throw new ArgumentNullException(nameof(session));
            this.useSudo = useSudo;
            this.commandTimeout = commandTimeout;
        }

        /// <inheritdoc />
        public string Host => session.Target.ToString();

        /// <inheritdoc />
        public Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, CancellationToken cancellationToken)
            => session.RunAsync(commandLine, standardInput, commandTimeout, useSudo, cancellationToken);

        /// <inheritdoc />
        public void Dispose() => session.Dispose();
    }
}
