using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Renci.SshNet;

namespace RemoteOps.Core.Ssh
{
    /// <summary>An authenticated SFTP connection to one host.</summary>
    public sealed class SftpSession : IDisposable
    {
        private readonly SshConnector.Connected<SftpClient> connection;
        private readonly bool ownsConnection;

        internal SftpSession(SshTarget target, SshConnector.Connected<SftpClient> connection, bool ownsConnection = true)
        {
            Target = target;
            this.connection = connection;
            this.ownsConnection = ownsConnection;
        }

        /// <summary>The host this session is connected to.</summary>
        public SshTarget Target { get; }

        /// <summary>Why the host key was trusted.</summary>
        public HostKeyVerdict HostKeyVerdict => connection.Verdict;

        /// <summary>Connects, verifies the host key and authenticates.</summary>
        public static async Task<SftpSession> ConnectAsync(SshTarget target, SshCredentials credentials, SshConnectOptions options, CancellationToken cancellationToken)
        {
            var connection = await SshConnector.ConnectAsync(target, credentials, options, info => new SftpClient(info), cancellationToken).ConfigureAwait(false);
            return new SftpSession(target, connection);
        }

        /// <summary>
        /// Uploads to a temporary name beside the destination and renames it into place, so the
        /// destination is either the old file or the complete new one, never a partial copy.
        /// </summary>
        public async Task UploadAsync(Stream source, string remotePath, CancellationToken cancellationToken)
        {
            ValidateRemotePath(remotePath);
            SftpClient client = connection.Client;
            string partial = RemotePath.TemporaryBeside(remotePath);
            try
            {
                await client.UploadFileAsync(source, partial, cancellationToken).ConfigureAwait(false);
                client.RenameFile(partial, remotePath, isPosix: true);
            }
            catch (Exception)
            {
                TryDelete(client, partial);
                throw;
            }
        }

        /// <summary>Downloads a remote file into a stream.</summary>
        public Task DownloadAsync(string remotePath, Stream destination, CancellationToken cancellationToken)
        {
            ValidateRemotePath(remotePath);
            return connection.Client.DownloadFileAsync(remotePath, destination, cancellationToken);
        }

        /// <summary>True when the remote path is a directory.</summary>
        public async Task<bool> IsDirectoryAsync(string remotePath, CancellationToken cancellationToken)
        {
            ValidateRemotePath(remotePath);
            if (!await connection.Client.ExistsAsync(remotePath, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var entry = await connection.Client.GetAsync(remotePath, cancellationToken).ConfigureAwait(false);
            return entry.IsDirectory;
        }

        /// <summary>Closes the connection, unless it is a held one lent for one use.</summary>
        public void Dispose()
        {
            if (ownsConnection)
            {
                connection.Dispose();
            }
        }

        internal static void ValidateRemotePath(string remotePath)
        {
            RemotePath.Validate(remotePath, "The remote path");
        }

        private static void TryDelete(SftpClient client, string path)
        {
            try
            {
                if (client.IsConnected && client.Exists(path))
                {
                    client.DeleteFile(path);
                }
            }
            catch (Exception)
            {
                // Best effort: the partial file has a unique name and never replaces the real one.
            }
        }
    }
}
