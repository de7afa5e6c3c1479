using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;
using Renci.SshNet;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Opens an authenticated, host-key-verified SSH.NET client to a target, directly or through
    /// a jump host. Both hops are verified against the same known-hosts policy.
    /// </summary>
    internal static class SshConnector
    {
        internal sealed class Connected<TClient> where TClient : BaseClient
        {
            internal TClient Client;
            internal SshClient JumpClient;
            internal ForwardedPortLocal Tunnel;
            internal HostKeyVerdict Verdict;

            /// <summary>False once the far end (or the bastion) dropped the connection.</summary>
            internal bool IsConnected => Client != null && Client.IsConnected && (JumpClient == null || JumpClient.IsConnected);

            internal void Dispose()
            {
                DisposeQuietly(Client);
                if (Tunnel != null)
                {
                    try
                    {
                        Tunnel.Stop();
                    }
                    catch (Exception)
                    {
                        // The tunnel dies with the jump connection anyway.
                    }
                }

                DisposeQuietly(Tunnel);
                DisposeQuietly(JumpClient);
            }
        }

        internal static async Task<Connected<TClient>> ConnectAsync<TClient>(
            SshTarget target,
            SshCredentials credentials,
            SshConnectOptions options,
            Func<ConnectionInfo, TClient> createClient,
            CancellationToken cancellationToken)
            where TClient : BaseClient
        {
            if (target == null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            if (credentials == null)
            {
                throw new ArgumentNullException(nameof(credentials));
            }

            options = options ?? new SshConnectOptions();
            if (options.HostKeyVerifier == null)
            {
                throw new ArgumentException("A host key verifier is required: RemoteOps never connects without checking the host key.", nameof(options));
            }

            var connected = new Connected<TClient>();
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.ConnectTimeout);
                try
                {
                    string host = target.Host;
                    int port = target.Port;
                    if (options.JumpHost != null)
                    {
                        SshCredentials jumpCredentials = options.JumpCredentials ?? credentials;
                        HostKeyVerdict jumpVerdict = null;
                        connected.JumpClient = new SshClient(BuildConnectionInfo(options.JumpHost.Host, options.JumpHost.Port, jumpCredentials, options));
                        ApplyKeepAlive(connected.JumpClient, options);
                        AttachVerifier(connected.JumpClient, options.JumpHost, options.JumpHostKeyVerifier ?? options.HostKeyVerifier, v => jumpVerdict = v);
                        await ConnectClientAsync(connected.JumpClient, options.JumpHost, () => jumpVerdict, timeout.Token, options.ConnectTimeout).ConfigureAwait(false);

                        // Port 0: the OS picks a free loopback port for this one tunnel.
                        connected.Tunnel = new ForwardedPortLocal("127.0.0.1", 0, target.Host, (uint)target.Port);
                        connected.JumpClient.AddForwardedPort(connected.Tunnel);
                        connected.Tunnel.Start();
                        host = "127.0.0.1";
                        port = (int)connected.Tunnel.BoundPort;
                    }

                    connected.Client = createClient(BuildConnectionInfo(host, port, credentials, options));
                    ApplyKeepAlive(connected.Client, options);
                    AttachVerifier(connected.Client, target, options.HostKeyVerifier, v => connected.Verdict = v);
                    await ConnectClientAsync(connected.Client, target, () => connected.Verdict, timeout.Token, options.ConnectTimeout).ConfigureAwait(false);
                    return connected;
                }
                catch (Exception error)
                {
                    connected.Dispose();
                    if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }

                    throw SshFailureClassifier.ForConnect(target, error, options.ConnectTimeout);
                }
            }
        }

        private static async Task ConnectClientAsync(
            BaseClient client,
            SshTarget target,
            Func<HostKeyVerdict> verdict,
            CancellationToken cancellationToken,
            TimeSpan connectTimeout)
        {
            try
            {
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                HostKeyVerdict seen = verdict();
                if (seen != null && !seen.IsTrusted)
                {
                    throw HostKeyFailure(target, seen, error);
                }

                throw SshFailureClassifier.ForConnect(target, error, connectTimeout);
            }
        }

        private static SshFailureException HostKeyFailure(SshTarget target, HostKeyVerdict verdict, Exception inner)
        {
            HostStatus status = verdict.Kind == HostKeyVerdictKind.Unknown ? HostStatus.HostKeyUnknown : HostStatus.HostKeyMismatch;
            string remedy = verdict.Kind == HostKeyVerdictKind.Unknown
                ? $"Check the fingerprint out of band, then run 'Add-RoKnownHost -ComputerName {target.Host} -Port {target.Port} -Fingerprint {verdict.PresentedFingerprint}', or pass -HostKeyPolicy AcceptNew to trust on first use."
                : $"If the host was legitimately re-installed, run 'Remove-RoKnownHost -ComputerName {target.Host} -Port {target.Port}' and then 'Add-RoKnownHost -ComputerName {target.Host} -Port {target.Port} -Fingerprint {verdict.PresentedFingerprint}'.";
            return new SshFailureException(status, target.Host, verdict.Explain(), remedy, inner)
            {
                PresentedFingerprint = verdict.PresentedFingerprint,
                ExpectedFingerprints = ToArray(verdict.KnownFingerprints),
            };
        }

        private static void AttachVerifier(BaseClient client, SshTarget target, HostKeyVerifier verifier, Action<HostKeyVerdict> record)
        {
            client.HostKeyReceived += (sender, e) =>
            {
                // The blob names its own key type; e.HostKeyName may be a signature algorithm
                // such as rsa-sha2-512, which known_hosts files never use.
                string keyType = SshKeyBlob.ReadKeyType(e.HostKey) ?? e.HostKeyName;
                HostKeyVerdict verdict = verifier.Verify(target.Host, target.Port, keyType, e.HostKey);
                record(verdict);
                e.CanTrust = verdict.IsTrusted;
            };
        }

        private static ConnectionInfo BuildConnectionInfo(string host, int port, SshCredentials credentials, SshConnectOptions options)
        {
            var methods = new List<AuthenticationMethod>();
            if (credentials.KeyFiles.Count > 0)
            {
                var keys = new List<IPrivateKeySource>();
                foreach (SshKeyFile keyFile in credentials.KeyFiles)
                {
                    keys.Add(keyFile.Load());
                }

                methods.Add(new PrivateKeyAuthenticationMethod(credentials.UserName, keys.ToArray()));
            }

            // With keyboard-interactive the password answers the PAM prompts instead; offering
            // the plain password method as well would hide whether the prompts work.
            if (credentials.Password != null && !credentials.KeyboardInteractive)
            {
                methods.Add(new PasswordAuthenticationMethod(credentials.UserName, SecretText.Reveal(credentials.Password)));
            }

            if (credentials.KeyboardInteractive)
            {
                var interactive = new KeyboardInteractiveAuthenticationMethod(credentials.UserName);
                interactive.AuthenticationPrompt += (sender, e) =>
                {
                    foreach (var prompt in e.Prompts)
                    {
                        string answer = credentials.PromptResponder?.Invoke(prompt.Request, prompt.IsEchoed);
                        prompt.Response = answer ?? SecretText.Reveal(credentials.Password) ?? string.Empty;
                    }
                };
                methods.Add(interactive);
            }

            if (methods.Count == 0)
            {
                methods.Add(new NoneAuthenticationMethod(credentials.UserName));
            }

            return new ConnectionInfo(host, port, credentials.UserName, methods.ToArray())
            {
                Timeout = options.ConnectTimeout,
                RetryAttempts = 1,
            };
        }

        private static void ApplyKeepAlive(BaseClient client, SshConnectOptions options)
        {
            if (options.KeepAliveInterval.HasValue)
            {
                client.KeepAliveInterval = options.KeepAliveInterval.Value;
            }
        }

        private static string[] ToArray(IEnumerable<string> values) => values == null ? new string[0] : new List<string>(values).ToArray();

        private static void DisposeQuietly(IDisposable disposable)
        {
            try
            {
                disposable?.Dispose();
            }
            catch (Exception)
            {
                // Closing a broken connection can throw; the failure was reported already.
            }
        }
    }
}
