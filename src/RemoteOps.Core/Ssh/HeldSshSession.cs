using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;
using Renci.SshNet;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// An SSH connection to one host kept open across calls (New-RoSshSession), so that later
    /// commands and transfers skip the TCP connect, key exchange and authentication.
    /// </summary>
    /// <remarks>
    /// It keeps the credentials it was opened with, privately, to reconnect once when the far end
    /// dropped the connection; a reconnect goes through the same host-key verifier as the first
    /// connect. Nothing public on it (properties, ToString) carries a secret. Commands take turns
    /// on the connection, one channel at a time; file transfers use a second connection, opened
    /// on the first transfer and held as well. Users hold this object, so nothing on it runs a
    /// command or a transfer: only the cmdlets reach its connections (<see cref="AsSource"/>),
    /// through ShouldProcess and the audit log.
    /// </remarks>
    public sealed class HeldSshSession : IDisposable
    {
        private readonly HeldConnection<SshConnector.Connected<SshClient>> shell;
        private readonly HeldConnection<SshConnector.Connected<SftpClient>> sftp;

        internal HeldSshSession(SshTarget target, SshCredentials credentials, SshConnectOptions options, string name)
        {
            Target = target;
            Name = name;
            shell = new HeldConnection<SshConnector.Connected<SshClient>>(
                token => SshConnector.ConnectAsync(target, credentials, options, info => new SshClient(info), token),
                connection => connection.IsConnected,
                connection => connection.Dispose());
            sftp = new HeldConnection<SshConnector.Connected<SftpClient>>(
                token => SshConnector.ConnectAsync(target, credentials, options, info => new SftpClient(info), token),
                connection => connection.IsConnected,
                connection => connection.Dispose());
        }

        /// <summary>Numbers the session within its runspace's session list; 0 until it is added to one.</summary>
        public int Id { get; internal set; }

        /// <summary>A name to find the session by; by default Session followed by the Id.</summary>
        public string Name { get; internal set; }

        /// <summary>The host as the user named it.</summary>
        public string ComputerName => Target.Host;

        /// <summary>The SSH port.</summary>
        public int Port => Target.Port;

        /// <summary>The remote account.</summary>
        public string UserName => Target.UserName;

        /// <summary>Where the session stands.</summary>
        public SshSessionState State
        {
            get
            {
                HeldConnectionState commands = shell.State;
                if (commands == HeldConnectionState.Closed)
                {
                    return SshSessionState.Closed;
                }

                return commands == HeldConnectionState.Broken || sftp.State == HeldConnectionState.Broken
                    ? SshSessionState.Broken
                    : SshSessionState.Opened;
            }
        }

        /// <summary>When the session was opened.</summary>
        public DateTimeOffset OpenedAt { get; private set; }

        /// <inheritdoc />
        public SshTarget Target { get; }

        /// <summary>
        /// Opens a session: connects, verifies the host key and authenticates now, so that a host
        /// that cannot be reached or trusted fails here. Throws <see cref="SshFailureException"/>.
        /// </summary>
        internal static async Task<OpenedHeldSession> OpenAsync(SshTarget target, SshCredentials credentials, SshConnectOptions options, string name, CancellationToken cancellationToken)
        {
            if (target == null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            if (options?.HostKeyVerifier == null)
            {
                throw new ArgumentException("A host key verifier is required: RemoteOps never connects without checking the host key.", nameof(options));
            }

            var session = new HeldSshSession(target, credentials, options, name);
            try
            {
                using (var lease = await session.shell.AcquireAsync(cancellationToken).ConfigureAwait(false))
                {
                    session.OpenedAt = DateTimeOffset.UtcNow;
                    return new OpenedHeldSession(session, lease.Connection.Verdict);
                }
            }
            catch (Exception)
            {
                session.Close();
                throw;
            }
        }

        /// <summary>The session as the source of one host's connections, for the cmdlets alone.</summary>
        internal ISshSessionSource AsSource() => new LentConnections(this);

        private async Task<SshLease<SshSession>> AcquireShellAsync(CancellationToken cancellationToken)
        {
            var lease = await shell.AcquireAsync(cancellationToken).ConfigureAwait(false);
            return new SshLease<SshSession>(
                new SshSession(Target, lease.Connection, ownsConnection: false),
                lease.Opened ? lease.Connection.Verdict : null,
                lease.Reconnected,
                lease);
        }

        private async Task<SshLease<SftpSession>> AcquireSftpAsync(CancellationToken cancellationToken)
        {
            var lease = await sftp.AcquireAsync(cancellationToken).ConfigureAwait(false);
            return new SshLease<SftpSession>(
                new SftpSession(Target, lease.Connection, ownsConnection: false),
                lease.Opened ? lease.Connection.Verdict : null,
                lease.Reconnected,
                lease);
        }

        /// <summary>Closes the session's connections; work running on them fails, later uses are refused.</summary>
        public void Close()
        {
            shell.Close();
            sftp.Close();
        }

        /// <inheritdoc />
        public void Dispose() => Close();

        /// <summary>Names the session without anything secret: user, host, port, Id, name and state.</summary>
        public override string ToString() => $"{UserName}@{DisplayHost}:{Port} (Id {Id}, {Name}, {State})";

        private string DisplayHost => ComputerName.IndexOf(':') >= 0 ? "[" + ComputerName + "]" : ComputerName;

        private sealed class LentConnections : ISshSessionSource
        {
            private readonly HeldSshSession session;

            internal LentConnections(HeldSshSession session) => this.session = session;

            public SshTarget Target => session.Target;

            public Task<SshLease<SshSession>> AcquireShellAsync(CancellationToken cancellationToken) => session.AcquireShellAsync(cancellationToken);

            public Task<SshLease<SftpSession>> AcquireSftpAsync(CancellationToken cancellationToken) => session.AcquireSftpAsync(cancellationToken);
        }
    }
}
