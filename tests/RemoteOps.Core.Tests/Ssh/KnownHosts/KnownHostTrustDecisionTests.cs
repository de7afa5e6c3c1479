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
        public void An_unknown_host_gets_the_key_added()
        {
            var blob = TestKeys.FakeBlob();

            var decision = Decide(blob, SshFingerprint.Sha256(blob));

            Assert.Equal(KnownHostTrustVerdict.Add, decision.Verdict);
            Assert.True(decision.WritesStore);
            Assert.Equal(SshFingerprint.Sha256(blob), decision.Fingerprint);
            Assert.Null(decision.Message);
        }

        [Fact]
        public void A_key_without_the_expected_fingerprint_is_refused_naming_both()
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
        public void A_malformed_expected_fingerprint_is_an_argument_error()
        {
            Assert.Throws<ArgumentException>(() => Decide(TestKeys.FakeBlob(), "MD5:aa:bb"));
        }

        [Fact]
        public void A_key_already_trusted_is_no_change_and_names_its_entry()
        {
            var blob = TestKeys.FakeBlob();
            store.Add(target.Host, target.Port, "ssh-ed25519", blob);

            var decision = Decide(blob);

            Assert.Equal(KnownHostTrustVerdict.AlreadyTrusted, decision.Verdict);
            Assert.False(decision.WritesStore);
            Assert.Equal(SshFingerprint.Sha256(blob), decision.TrustedEntry.Fingerprint);
        }

        [Fact]
        public void A_different_key_of_the_same_type_is_refused_without_force_and_replaced_with_it()
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
        public void A_key_of_another_type_is_added_beside_the_trusted_one()
        {
            store.Add(target.Host, target.Port, "ssh-ed25519", TestKeys.FakeBlob());

            Assert.Equal(KnownHostTrustVerdict.Add, Decide(TestKeys.FakeBlob("ssh-rsa"), keyType: "ssh-rsa").Verdict);
        }

        [Fact]
        public void A_revoked_key_is_refused_even_with_force()
        {
            var blob = TestKeys.FakeBlob();
            File.WriteAllText(store.FilePath, "@revoked [gw1.example]:2222 ssh-ed25519 " + Convert.ToBase64String(blob) + "\n");

            var decision = Decide(blob, force: true);

            Assert.Equal(KnownHostTrustVerdict.Revoked, decision.Verdict);
            Assert.Contains("@revoked", decision.Message);
        }
    }
}
