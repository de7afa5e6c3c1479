using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Tests.TestSupport
{
    /// <summary>
    /// An HTTPS server on 127.0.0.1 with a port of the system's choosing that presents the given
    /// certificate and answers every request 200 with "{}". It stops listening on dispose.
    /// </summary>
    internal sealed class LoopbackTlsServer : IDisposable
    {
        private readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly X509Certificate2 certificate;
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly Task serving;
        private int requests;

        internal LoopbackTlsServer(X509Certificate2 certificate)
        {
            this.certificate = certificate;
            listener.Start();
            serving = Task.Run(ServeAsync);
        }

        internal Uri Address => new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");

        /// <summary>HTTP requests received over TLS (none when the client refused the certificate).</summary>
        internal int Requests => Volatile.Read(ref requests);

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            try
            {
                serving.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            stop.Dispose();
        }

        private async Task ServeAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }

                _ = Task.Run(() => AnswerAsync(client));
            }
        }

        private async Task AnswerAsync(TcpClient client)
        {
            using (client)
            using (var tls = new SslStream(client.GetStream()))
            {
                try
                {
                    await tls.AuthenticateAsServerAsync(certificate, false, SslProtocols.None, false).ConfigureAwait(false);
                }
                catch (Exception error) when (error is AuthenticationException || error is System.IO.IOException)
                {
                    return;
                }

                try
                {
                    // With TLS 1.3 the client refuses the certificate after the server's side of
                    // the handshake is done, so only a request that arrives counts.
                    if (!await ReadHeadersAsync(tls).ConfigureAwait(false))
                    {
                        return;
                    }

                    Interlocked.Increment(ref requests);
                    byte[] answer = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                    await tls.WriteAsync(answer, 0, answer.Length, stop.Token).ConfigureAwait(false);
                    await tls.FlushAsync(stop.Token).ConfigureAwait(false);
                }
                catch (Exception error) when (error is System.IO.IOException || error is AuthenticationException || error is OperationCanceledException)
                {
                }
            }
        }

        // Requests from the tests have no body: the headers end the request.
        private async Task<bool> ReadHeadersAsync(SslStream tls)
        {
            var seen = new StringBuilder();
            var buffer = new byte[1024];
            while (!seen.ToString().Contains("\r\n\r\n"))
            {
                int read = await tls.ReadAsync(buffer, 0, buffer.Length, stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return false;
                }

                seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return true;
        }
    }
}
