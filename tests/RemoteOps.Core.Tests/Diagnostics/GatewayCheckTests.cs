using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Diagnostics.Checks;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    public sealed class GatewayCheckTests
    {
        [Fact]
        public async Task ACertificateExpiringWithinFourteenDaysIsAWarning()
        {
            using (X509Certificate2 certificate = Certificate(TimeSpan.FromDays(5)))
            using (var server = new LoopbackTlsServer(certificate))
            {
                RemoteAccessCheckResult result = await Check(server, certificate);

                Assert.Equal(RemoteAccessCheckStatus.Warning, result.Status);
                Assert.Equal(RemoteAccessCause.CertificateExpiring, result.Cause);
                Assert.Contains("expires in 5.0 days", result.Evidence, StringComparison.Ordinal);
                Assert.Contains("renew", result.NextStep, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task ACertificateValidForLongerPasses()
        {
            using (X509Certificate2 certificate = Certificate(TimeSpan.FromDays(60)))
            using (var server = new LoopbackTlsServer(certificate))
            {
                RemoteAccessCheckResult result = await Check(server, certificate);

                Assert.Equal(RemoteAccessCheckStatus.Passed, result.Status);
                Assert.Contains("127.0.0.1 is an address; TCP", result.Evidence, StringComparison.Ordinal);
                Assert.Contains("trusted by public key pin-sha256:", result.Evidence, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task AnExpiredCertificateIsInvalidEvenWhenPinned()
        {
            using (X509Certificate2 certificate = Certificate(TimeSpan.FromDays(-1)))
            using (var server = new LoopbackTlsServer(certificate))
            {
                RemoteAccessCheckResult result = await Check(server, certificate);

                Assert.Equal(RemoteAccessCheckStatus.Failed, result.Status);
                Assert.Equal(RemoteAccessCause.CertificateInvalid, result.Cause);
                Assert.Contains("it has expired", result.Evidence, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task ASelfSignedCertificateIsNotTrustedBySystemValidation()
        {
            using (X509Certificate2 certificate = Certificate(TimeSpan.FromDays(60)))
            using (var server = new LoopbackTlsServer(certificate))
            {
                RemoteAccessCheckResult result = await new GatewayCheck(server.Address, TlsTrust.SystemValidation).RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);

                Assert.Equal(RemoteAccessCause.CertificateInvalid, result.Cause);
                Assert.Contains("not trusted here", result.Evidence, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task AClosedPortIsUnreachable()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();

            RemoteAccessCheckResult result = await new GatewayCheck(new Uri($"https://127.0.0.1:{port}/"), TlsTrust.SystemValidation)
                .RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);

            Assert.Equal(RemoteAccessCause.GatewayUnreachable, result.Cause);
            Assert.Equal($"127.0.0.1:{port}", result.Target);
        }

        [Fact]
        public void OnlyHttpsGatewaysAreAccepted()
        {
            Assert.Throws<ArgumentException>(() => new GatewayCheck(new Uri("http://vpn.example/"), TlsTrust.SystemValidation));
        }

        private static Task<RemoteAccessCheckResult> Check(LoopbackTlsServer server, X509Certificate2 certificate)
        {
            string pin = Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
            return new GatewayCheck(server.Address, TlsTrust.PinPublicKey(pin)).RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);
        }

        // Exported and loaded again so that the private key is usable by the TLS server on every platform.
        private static X509Certificate2 Certificate(TimeSpan validFor)
        {
            using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
                DateTimeOffset now = DateTimeOffset.UtcNow;
                DateTimeOffset notAfter = now.Add(validFor).AddMinutes(1);
                using (X509Certificate2 made = request.CreateSelfSigned(notAfter.AddDays(-90), notAfter))
                {
                    return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
                }
            }
        }
    }
}
