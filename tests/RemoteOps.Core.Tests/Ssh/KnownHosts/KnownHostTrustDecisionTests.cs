using System;
using System.IO;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh.KnownHosts
{
    public sealed class KnownHostTrustDecisionTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();
        private readonly KnownHostsStore store;
        private readonly SshTarget target = SshTarget.Parse("gw1.example:2222");

        public KnownHostTrustDecisionTests()
        {
            store = new KnownHostsStore(Path.Combine(temp.Path, "known_hosts"));
        }

        public void Dispose() => temp.Dispose();

        private KnownHostTrustDecision Decide(byte[] blob, string expected = null, bool force = false, string keyType = "ssh-ed25519")
            => KnownHostTrustDecision.Decide(target, store.Find(target.Host, target.Port), store.FilePath, keyType, blob, expected, force);

        [Fact]
        public void AnUnknownHostGetsTheKeyAdded()
        {
            var blob = TestKeys.FakeBlob();

            var decision = Decide(blob, SshFingerprint.Sha256(blob));

            Assert.Equal(KnownHostTrustVerdict.Add, decision.Verdict);
            Assert.True(decision.WritesStore);
            Assert.Equal(SshFingerprint.Sha256(blob), decision.Fingerprint);
            Assert.Null(decision.Message);
        }

        [Fact]
        public void AKeyWithoutTheExpectedFingerprintIsRefusedNamingBoth()
        {
            var blob = TestKeys.FakeBlob();
            var other = SshFingerprint.Sha256(TestKeys.FakeBlob());

            var decision = Decide(blob, other);

            Assert.Equal(KnownHostTrustVerdict.FingerprintMismatch, decision.Verdict);
            Assert.False(decision.WritesStore);
            Assert.Contains(other, decision.Message);
            Assert.Contains(SshFingerprint.Sha256(blob), decision.Message);
        }

        [Fact]
        public void AMalformedExpectedFingerprintIsAnArgumentError()
        {
            Assert.Throws<ArgumentException>(() => Decide(TestKeys.FakeBlob(), "MD5:aa:bb"));
        }

        [Fact]
        public void AKeyAlreadyTrustedIsNoChangeAndNamesItsEntry()
        {
            var blob = TestKeys.FakeBlob();
            store.Add(target.Host, target.Port, "ssh-ed25519", blob);

            var decision = Decide(blob);

            Assert.Equal(KnownHostTrustVerdict.AlreadyTrusted, decision.Verdict);
            Assert.False(decision.WritesStore);
            Assert.Equal(SshFingerprint.Sha256(blob), decision.TrustedEntry.Fingerprint);
        }

        [Fact]
        public void ADifferentKeyOfTheSameTypeIsRefusedWithoutForceAndReplacedWithIt()
        {
            store.Add(target.Host, target.Port, "ssh-ed25519", TestKeys.FakeBlob());
            var blob = TestKeys.FakeBlob();

            var refused = Decide(blob);
            var forced = Decide(blob, force: true);

            Assert.Equal(KnownHostTrustVerdict.OtherKeyTrusted, refused.Verdict);
            Assert.Contains("-Force", refused.Remedy);
            Assert.Equal(KnownHostTrustVerdict.Replace, forced.Verdict);
            Assert.True(forced.WritesStore);
        }

        [Fact]
        public void AKeyOfAnotherTypeIsAddedBesideTheTrustedOne()
        {
            store.Add(target.Host, target.Port, "ssh-ed25519", TestKeys.FakeBlob());

            Assert.Equal(KnownHostTrustVerdict.Add, Decide(TestKeys.FakeBlob("ssh-rsa"), keyType: "ssh-rsa").Verdict);
        }

        [Fact]
        public void ARevokedKeyIsRefusedEvenWithForce()
        {
            var blob = TestKeys.FakeBlob();
            File.WriteAllText(store.FilePath, "@revoked [gw1.example]:2222 ssh-ed25519 " + Convert.ToBase64String(blob) + "\n");

            var decision = Decide(blob, force: true);

            Assert.Equal(KnownHostTrustVerdict.Revoked, decision.Verdict);
            Assert.Contains("@revoked", decision.Message);
        }
    }
}
