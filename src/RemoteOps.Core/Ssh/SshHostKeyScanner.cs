using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;
using Renci.SshNet;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Fetches the key a server presents, without authenticating and without trusting it:
    /// the key exchange is abandoned as soon as the key is seen.
    /// </summary>
    public static class SshHostKeyScanner
    {
        /// <summary>Gets the presented host key, or throws a classified <see cref="SshFailureException"/>.</summary>
        public static async Task<SshHostKeyInfo> ScanAsync(SshTarget target, TimeSpan connectTimeout, CancellationToken cancellationToken)
        {
            if (target == null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            SshHostKeyInfo seen = null;
            var info = new ConnectionInfo(target.Host, target.Port, target.UserName ?? "remoteops", new NoneAuthenticationMethod(target.UserName ?? "remoteops"))
            {
                Timeout = connectTimeout,
                RetryAttempts = 1,
            };
            using (var client = new SshClient(info))
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(connectTimeout);
                client.HostKeyReceived += (sender, e) =>
                {
                    seen = new SshHostKeyInfo
                    {
                        ComputerName = target.Host,
                        Port = target.Port,
                        KeyType = SshKeyBlob.ReadKeyType(e.HostKey) ?? e.HostKeyName,
                        Fingerprint = SshFingerprint.Sha256(e.HostKey),
                        PublicKey = SshKeyBlob.ToBase64(e.HostKey),
                    };
                    e.CanTrust = false;
                };
                try
                {
                    await client.ConnectAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (Exception error) when (seen != null)
                {
                    // Refusing the key is how the scan ends; anything thrown after it was seen is expected.
                    GC.KeepAlive(error);
                }
                catch (Exception error)
                {
                    if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }

                    throw SshFailureClassifier.ForConnect(target, error, connectTimeout);
                }
            }

            if (seen == null)
            {
                throw new SshFailureException(HostStatus.Failed, target.Host, $"{target} closed the connection before presenting a host key.");
            }

            return seen;
        }
    }
}
