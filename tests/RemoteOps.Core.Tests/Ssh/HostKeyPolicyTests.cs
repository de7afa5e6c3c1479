using System;
using System.Collections.Generic;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class HostKeyPolicyTests
    {
        [Fact]
        public void StrictAndAcceptNewHaveNoPins()
        {
            Assert.Equal(HostKeyPolicyMode.Strict, HostKeyPolicy.Strict.Mode);
            Assert.Empty(HostKeyPolicy.Strict.PinnedFingerprints);
            Assert.Equal(HostKeyPolicyMode.AcceptNew, HostKeyPolicy.AcceptNew.Mode);
            Assert.Empty(HostKeyPolicy.AcceptNew.PinnedFingerprints);
        }

        [Fact]
        public void PinNormalizesAndDeduplicatesFingerprints()
        {
            var first = SshFingerprint.Sha256(TestKeys.FakeBlob());
            var second = SshFingerprint.Sha256(TestKeys.FakeBlob());

            var policy = HostKeyPolicy.Pin(first + "=", " " + first, second);

            Assert.Equal(HostKeyPolicyMode.Pinned, policy.Mode);
            Assert.Equal(new[] { first, second }, policy.PinnedFingerprints);
            Assert.Throws<NotSupportedException>(() => ((IList<string>)policy.PinnedFingerprints)[0] = "x");
            Assert.Contains(first, policy.ToString());
        }

        [Theory]
        [InlineData("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48")]
        [InlineData("16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48")]
        [InlineData("SHA256:tooshort")]
        [InlineData("")]
        [InlineData("$(rm -rf /)")]
        public void PinRejectsAnythingButSHA256NamingTheValueAndTheValidForm(string bad)
        {
            var good = SshFingerprint.Sha256(TestKeys.FakeBlob());

            var error = Assert.Throws<ArgumentException>(() => HostKeyPolicy.Pin(good, bad));

            Assert.Contains("'" + bad + "'", error.Message);
            Assert.Contains("SHA256:<43 base64 characters>", error.Message);
        }

        [Fact]
        public void PinNeedsAtLeastOneFingerprint()
        {
            Assert.Throws<ArgumentException>(() => HostKeyPolicy.Pin());
            Assert.Throws<ArgumentException>(() => HostKeyPolicy.Pin(null));
            var error = Assert.Throws<ArgumentException>(() => HostKeyPolicy.Pin(new string[] { null }));
            Assert.Contains("(null)", error.Message);
        }
    }
}
