using System;
using System.Linq;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class SshFingerprintTests
    {
        [Theory]
        [InlineData("ed25519")]
        [InlineData("ecdsa")]
        [InlineData("rsa")]
        public void Sha256EqualsWhatSshKeygenPrints(string type)
        {
            using var temp = new TempDirectory();
            var key = TestKeys.Generate(temp.Path, type);

            // "256 SHA256:xxxx test (ED25519)"
            var printed = ProcessRunner.RunChecked("ssh-keygen", "-E", "sha256", "-lf", key.PublicKeyPath).Text.Split(' ')[1];

            Assert.StartsWith("SHA256:", printed);
            Assert.Equal(printed, SshFingerprint.Sha256(key.Blob));
        }

        [Fact]
        public void Sha256HasNoPaddingAndAFixedLength()
        {
            var fingerprint = SshFingerprint.Sha256(new byte[] { 1, 2, 3 });

            Assert.DoesNotContain("=", fingerprint);
            Assert.Equal("SHA256:".Length + 43, fingerprint.Length);
        }

        [Fact]
        public void Sha256DiffersForDifferentKeys()
        {
            Assert.NotEqual(SshFingerprint.Sha256(TestKeys.FakeBlob()), SshFingerprint.Sha256(TestKeys.FakeBlob()));
        }

        [Fact]
        public void Sha256RejectsNullAndEmpty()
        {
            Assert.Throws<ArgumentNullException>(() => SshFingerprint.Sha256(null));
            Assert.Throws<ArgumentException>(() => SshFingerprint.Sha256(Array.Empty<byte>()));
        }

        [Fact]
        public void TryNormalizeAcceptsThePrintedFormAndThePaddedForm()
        {
            var fingerprint = SshFingerprint.Sha256(TestKeys.FakeBlob());

            Assert.True(SshFingerprint.TryNormalize(fingerprint, out var plain));
            Assert.Equal(fingerprint, plain);
            Assert.True(SshFingerprint.TryNormalize(fingerprint + "=", out var padded));
            Assert.Equal(fingerprint, padded);
            Assert.True(SshFingerprint.TryNormalize("  " + fingerprint + "\n", out var spaced));
            Assert.Equal(fingerprint, spaced);
            Assert.True(SshFingerprint.TryNormalize("sha256:" + fingerprint.Substring(7), out var lowerPrefix));
            Assert.Equal(fingerprint, lowerPrefix);
        }

        [Fact]
        public void TryNormalizeAcceptsWhatSshKeygenPrints()
        {
            using var temp = new TempDirectory();
            var key = TestKeys.Generate(temp.Path);
            var printed = ProcessRunner.RunChecked("ssh-keygen", "-lf", key.PublicKeyPath).Text.Split(' ')[1];

            Assert.True(SshFingerprint.TryNormalize(printed, out var normalized));
            Assert.Equal(SshFingerprint.Sha256(key.Blob), normalized);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("SHA256:")]
        [InlineData("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48")]
        [InlineData("16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48")]
        [InlineData("SHA1:abcdefghijklmnopqrstuvwxyz0")]
        [InlineData("nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8")]
        [InlineData("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY")]
        [InlineData("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8A")]
        [InlineData("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8==")]
        [InlineData("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5S Y8")]
        [InlineData("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5S-Y8")]
        [InlineData("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY_")]
        [InlineData("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY9")]
        [InlineData("SHA512:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8")]
        [InlineData("SHA256 nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8")]
        public void TryNormalizeRejectsEveryOtherForm(string text)
        {
            Assert.False(SshFingerprint.TryNormalize(text, out var fingerprint));
            Assert.Null(fingerprint);
        }

        [Fact]
        public void TheRejectedNonCanonicalSpellingReallyDecodesToTheSameBytes()
        {
            // Guards the test above: "...SY9" differs from "...SY8" only in spare bits.
            var canonical = Convert.FromBase64String("nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8=");
            var spare = Convert.FromBase64String("nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY9=");
            Assert.True(canonical.SequenceEqual(spare));
            Assert.True(SshFingerprint.TryNormalize("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8", out _));
        }
    }
}
