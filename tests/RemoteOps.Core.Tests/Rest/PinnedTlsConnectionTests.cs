using System;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Rest
{
    /// <summary>The certificate pin as the REST client applies it during a real TLS handshake on loopback.</summary>
    public sealed class PinnedTlsConnectionTests
    {
        private static readonly RestRetryPolicy NoRetry = new RestRetryPolicy { MaxAttempts = 1 };

        [Fact]
        public async Task AWrongPinFailsTheHandshakeAsTrustFailureNamingBothThumbprints()
        {
            using (var certificate = SelfSigned())
            using (var server = new LoopbackTlsServer(certificate))
            {
                string wrong = new string('A', 64);
                using (var client = new RestClient(server.Address, TlsTrust.PinCertificate(wrong), NoRetry, TimeSpan.FromSeconds(10), login: null, handler: null, maxConnections: 1))
                {
                    var error = await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/api/v1/system/system-information", null, CancellationToken.None));

                    Assert.Equal(ApplianceErrorKind.TrustFailure, error.Kind);
                    Assert.Contains(Sha256Thumbprint(certificate), error.Message);
                    Assert.Contains(wrong, error.Message);
                    Assert.Contains("-CertificateThumbprint", error.Remedy);
                    Assert.Equal(0, server.Requests);
                }
            }
        }

        [Fact]
        public async Task TheRightPinConnectsToASelfSignedCertificate()
        {
            using (var certificate = SelfSigned())
            using (var server = new LoopbackTlsServer(certificate))
            using (var client = new RestClient(server.Address, TlsTrust.PinCertificate(Sha256Thumbprint(certificate)), NoRetry, TimeSpan.FromSeconds(10), login: null, handler: null, maxConnections: 1))
            {
                RestResponse response = await client.SendAsync(HttpMethod.Get, "/api/v1/system/system-information", null, CancellationToken.None);

                Assert.Equal(200, response.Code);
                Assert.Equal(1, server.Requests);
            }
        }

        // Exported and loaded again so that the private key is usable by the TLS server on every platform.
        private static X509Certificate2 SelfSigned()
        {
            using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                var request = new CertificateRequest("CN=appliance.test", key, HashAlgorithmName.SHA256);
                using (X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)))
                {
                    return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
                }
            }
        }

        private static string Sha256Thumbprint(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));
    }
}
