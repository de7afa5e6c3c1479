using System;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Ssh
{
    /// <summary>A new connection for each use, closed when the use ends.</summary>
    public sealed class FreshSshSessionSource : ISshSessionSource
    {
        private readonly SshCredentials credentials;
        private readonly SshConnectOptions options;

        /// <summary>Creates the source; nothing connects until a use asks.</summary>
        public FreshSshSessionSource(SshTarget target, SshCredentials credentials, SshConnectOptions options)
        {
            Target = target ?? throw new ArgumentNullException(nameof(target));
            this.credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            this.options = options ?? throw new ArgumentNullException(nameof(options));
        }

        /// <inheritdoc />
        public SshTarget Target { get; }

        /// <inheritdoc />
        public async Task<SshLease<SshSession>> AcquireShellAsync(CancellationToken cancellationToken)
        {
            SshSession session = await SshSession.ConnectAsync(Target, credentials, options, cancellationToken).ConfigureAwait(false);
            return new SshLease<SshSession>(session, session.HostKeyVerdict, reconnected: false, release: null);
        }

        /// <inheritdoc />
        public async Task<SshLease<SftpSession>> AcquireSftpAsync(CancellationToken cancellationToken)
        {
            SftpSession session = await SftpSession.ConnectAsync(Target, credentials, options, cancellationToken).ConfigureAwait(false);
            return new SshLease<SftpSession>(session, session.HostKeyVerdict, reconnected: false, release: null);
        }
    }
}
