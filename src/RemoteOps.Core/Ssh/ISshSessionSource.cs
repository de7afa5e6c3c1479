using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Where one host's work gets its connection: a fresh one for this run
    /// (<see cref="FreshSshSessionSource"/>) or a held one kept across calls (<see cref="HeldSshSession"/>).
    /// </summary>
    public interface ISshSessionSource
    {
        /// <summary>The host the connections go to.</summary>
        SshTarget Target { get; }

        /// <summary>A connection that runs commands, for this use alone until the lease is disposed.</summary>
        Task<SshLease<SshSession>> AcquireShellAsync(CancellationToken cancellationToken);

        /// <summary>An SFTP connection, for this use alone until the lease is disposed.</summary>
        Task<SshLease<SftpSession>> AcquireSftpAsync(CancellationToken cancellationToken);
    }
}
