using System;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RemoteOps.Core.Rest;
using Xunit;

namespace RemoteOps.Core.Tests.Rest
{
    public sealed class TlsTrustTests
    {
        private static X509Certificate2 SelfSigned(out ECDsa key)
        {
            key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=appliance.test", key, HashAlgorithmName.SHA256);
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        }

        [Fact]
        public void APinnedSha256ThumbprintAcceptsThatCertificateDespiteChainErrors()
        {
            using (var certificate = SelfSigned(out var key))
            {
                string sha256 = BitConverter.ToString(SHA256.HashData(certificate.RawData)).Replace("-", ":");
                Assert.True(TlsTrust.PinCertificate(sha256).Accepts(certificate, SslPolicyErrors.RemoteCertificateChainErrors, out _));
                Assert.True(TlsTrust.PinCertificate(certificate.Thumbprint).Accepts(certificate, SslPolicyErrors.RemoteCertificateChainErrors, out _));
                key.Dispose();
            }
        }

        [Fact]
        public void AWrongPinIsRefusedAndThePresentedCertificateDescribed()
        {
            using (var certificate = SelfSigned(out var key))
            {
                var trust = TlsTrust.PinCertificate(new string('A', 64));
                Assert.False(trust.Accepts(certificate, SslPolicyErrors.None, out string presented));
                Assert.Contains(BitConverter.ToString(SHA256.HashData(certificate.RawData)).Replace("-", string.Empty), presented);
                Assert.Contains("pin-sha256:", presented);
                key.Dispose();
            }
        }

        [Fact]
        public void TheSpkiPinMatchesTheDotNetExportOfTheSubjectPublicKeyInfo()
        {
            using (var certificate = SelfSigned(out var key))
            {
                string expected = Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
                Assert.True(TlsTrust.PinPublicKey("pin-sha256:" + expected).Accepts(certificate, SslPolicyErrors.RemoteCertificateChainErrors, out _));
                Assert.False(TlsTrust.PinPublicKey(Convert.ToBase64String(new byte[32])).Accepts(certificate, SslPolicyErrors.None, out _));
                key.Dispose();
            }
        }

        [Fact]
        public void WithoutAPinOnlyAFullyValidChainIsAccepted()
        {
            using (var certificate = SelfSigned(out var key))
            {
                Assert.True(TlsTrust.SystemValidation.Accepts(certificate, SslPolicyErrors.None, out _));
                Assert.False(TlsTrust.SystemValidation.Accepts(certificate, SslPolicyErrors.RemoteCertificateChainErrors, out _));
                Assert.False(TlsTrust.SystemValidation.Accepts(certificate, SslPolicyErrors.RemoteCertificateNameMismatch, out _));
                key.Dispose();
            }
        }

        [Theory]
        [InlineData("")]
        [InlineData("xyz")]
        [InlineData("ABCD")]
        [InlineData("pin-sha256:notbase64!")]
        public void MalformedPinsAreRejectedNamingTheValue(string value)
        {
            var error = Assert.Throws<ArgumentException>(() => TlsTrust.PinCertificate(value));
            Assert.Contains("thumbprint", error.Message);
            Assert.Throws<ArgumentException>(() => TlsTrust.PinPublicKey(value));
        }
    }
}
