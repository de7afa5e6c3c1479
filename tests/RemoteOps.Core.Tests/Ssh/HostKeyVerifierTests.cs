using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class HostKeyVerifierTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();
        private readonly KnownHostsStore store;
        private readonly byte[] ed = TestKeys.FakeBlob("ssh-ed25519");
        private readonly byte[] otherEd = TestKeys.FakeBlob("ssh-ed25519");
        private readonly byte[] rsa = TestKeys.FakeBlob("ssh-rsa", 270);

        public HostKeyVerifierTests()
        {
            store = new KnownHostsStore(temp.File("known_hosts"));
        }

        public void Dispose() => temp.Dispose();

        private static string Fp(byte[] blob) => SshFingerprint.Sha256(blob);

        private HostKeyVerdict Verify(HostKeyPolicy policy, byte[] blob, string host = "host", int port = 22)
        {
            return new HostKeyVerifier(store, policy).Verify(host, port, null, blob);
        }

        [Fact]
        public void PinnedTrustsAPinnedKeyWithoutTouchingTheStore()
        {
            var verdict = Verify(HostKeyPolicy.Pin(Fp(ed)), ed);

            Assert.Equal(HostKeyVerdictKind.TrustedByPin, verdict.Kind);
            Assert.True(verdict.IsTrusted);
            Assert.Equal(Fp(ed), verdict.PresentedFingerprint);
            Assert.Contains("pinned", verdict.Explain());
            Assert.False(File.Exists(store.FilePath));
        }

        [Fact]
        public void PinnedRefusesOtherKeysEvenIfTheStoreTrustsThem()
        {
            store.Add("host", 22, "ssh-ed25519", otherEd);
            var pins = new[] { Fp(ed), Fp(rsa) };

            var verdict = Verify(HostKeyPolicy.Pin(pins), otherEd);

            Assert.Equal(HostKeyVerdictKind.Mismatch, verdict.Kind);
            Assert.False(verdict.IsTrusted);
            Assert.Equal(pins, verdict.KnownFingerprints);
            var message = verdict.Explain();
            Assert.Contains("'host'", message);
            Assert.Contains(Fp(otherEd), message);
            Assert.Contains(Fp(ed), message);
            Assert.Contains(Fp(rsa), message);
        }

        [Fact]
        public void PinnedWorksWithoutAStoreButOtherPoliciesDoNot()
        {
            var verdict = new HostKeyVerifier(null, HostKeyPolicy.Pin(Fp(ed))).Verify("host", 22, "ssh-ed25519", ed);

            Assert.Equal(HostKeyVerdictKind.TrustedByPin, verdict.Kind);
            Assert.Throws<ArgumentNullException>(() => new HostKeyVerifier(null, HostKeyPolicy.Strict));
            Assert.Throws<ArgumentNullException>(() => new HostKeyVerifier(null, HostKeyPolicy.AcceptNew));
            Assert.Throws<ArgumentNullException>(() => new HostKeyVerifier(store, null));
        }

        [Fact]
        public void StrictTrustsAKnownKey()
        {
            store.Add("host", 22, "ssh-ed25519", ed);

            var verdict = Verify(HostKeyPolicy.Strict, ed);

            Assert.Equal(HostKeyVerdictKind.Trusted, verdict.Kind);
            Assert.True(verdict.IsTrusted);
            Assert.Equal(new[] { Fp(ed) }, verdict.KnownFingerprints);
            Assert.Contains(store.FilePath + " line 1", verdict.Explain());
        }

        [Fact]
        public void StrictTrustsWhenAnyOfSeveralSameTypeEntriesMatches()
        {
            var extra = temp.File("extra");
            File.WriteAllText(extra, "host ssh-ed25519 " + Convert.ToBase64String(otherEd) + "\n");
            var verifier = new HostKeyVerifier(new KnownHostsStore(store.FilePath, extra), HostKeyPolicy.Strict);
            store.Add("host", 22, "ssh-ed25519", ed);

            Assert.Equal(HostKeyVerdictKind.Trusted, verifier.Verify("host", 22, null, ed).Kind);
            Assert.Equal(HostKeyVerdictKind.Trusted, verifier.Verify("host", 22, null, otherEd).Kind);
        }

        [Fact]
        public void StrictWithNothingKnownIsUnknownAndSaysHowToTrust()
        {
            var verdict = Verify(HostKeyPolicy.Strict, ed, port: 2222);

            Assert.Equal(HostKeyVerdictKind.Unknown, verdict.Kind);
            Assert.False(verdict.IsTrusted);
            Assert.Empty(verdict.KnownFingerprints);
            var message = verdict.Explain();
            Assert.Contains("No host key is known for 'host' (port 2222)", message);
            Assert.Contains(Fp(ed), message);
            Assert.Contains("Add-RoKnownHost -ComputerName host -Port 2222", message);
            Assert.Contains("AcceptNew", message);
            Assert.False(File.Exists(store.FilePath));
        }

        [Fact]
        public void AChangedKeyOfTheSameTypeIsAMismatchNamingHostBothFingerprintsAndTheRemedy()
        {
            store.Add("host", 2222, "ssh-ed25519", ed);

            var verdict = Verify(HostKeyPolicy.Strict, otherEd, port: 2222);

            Assert.Equal(HostKeyVerdictKind.Mismatch, verdict.Kind);
            Assert.Equal(Fp(otherEd), verdict.PresentedFingerprint);
            Assert.Equal(new[] { Fp(ed) }, verdict.KnownFingerprints);
            var message = verdict.Explain();
            Assert.Contains("'host' (port 2222)", message);
            Assert.Contains("has changed", message);
            Assert.Contains(Fp(ed), message);
            Assert.Contains(Fp(otherEd), message);
            Assert.Contains("Remove-RoKnownHost -ComputerName host -Port 2222", message);
            Assert.Contains("Add-RoKnownHost -ComputerName host -Port 2222", message);
            Assert.Contains("-HostKeyPolicy AcceptNew", message);
        }

        [Fact]
        public void TheRemedyLeavesOutPort22()
        {
            store.Add("host", 22, "ssh-ed25519", ed);

            var message = Verify(HostKeyPolicy.Strict, otherEd).Explain();

            Assert.Contains("'Remove-RoKnownHost -ComputerName host'", message);
            Assert.DoesNotContain("-Port", message);
        }

        [Fact]
        public void AChangedKeyFoundInAReadOnlyFileNamesSshKeygenRForThatFile()
        {
            var userFile = temp.File("user_known_hosts");
            File.WriteAllText(userFile, "[host]:2222 ssh-ed25519 " + Convert.ToBase64String(ed) + "\n");
            var verifier = new HostKeyVerifier(new KnownHostsStore(store.FilePath, userFile), HostKeyPolicy.Strict);

            var message = verifier.Verify("host", 2222, null, otherEd).Explain();

            Assert.Contains(userFile + " line 1", message);
            Assert.Contains("ssh-keygen -R \"[host]:2222\" -f \"" + userFile + "\"", message);
        }

        [Fact]
        public void OnlyKeysOfOtherTypesKnownIsUnknownListingThem()
        {
            store.Add("host", 22, "ssh-rsa", rsa);

            var verdict = Verify(HostKeyPolicy.Strict, ed);

            Assert.Equal(HostKeyVerdictKind.Unknown, verdict.Kind);
            Assert.Equal(new[] { Fp(rsa) }, verdict.KnownFingerprints);
            Assert.Contains("only keys of other types are known", verdict.Explain());
            Assert.Contains("ssh-rsa " + Fp(rsa), verdict.Explain());
        }

        [Fact]
        public void ARevokedKeyIsRevokedEvenWhenAlsoTrusted()
        {
            store.Add("host", 22, "ssh-ed25519", ed);
            File.AppendAllText(store.FilePath, "@revoked * ssh-ed25519 " + Convert.ToBase64String(ed) + "\n");

            var verdict = Verify(HostKeyPolicy.Strict, ed);

            Assert.Equal(HostKeyVerdictKind.Revoked, verdict.Kind);
            Assert.False(verdict.IsTrusted);
            Assert.Contains("revoked", verdict.Explain());
            Assert.Contains(store.FilePath + " line 2", verdict.Explain());
        }

        [Fact]
        public void ARevocationOfAnotherKeyDoesNotAffectThisOne()
        {
            store.Add("host", 22, "ssh-ed25519", ed);
            File.AppendAllText(store.FilePath, "@revoked * ssh-ed25519 " + Convert.ToBase64String(otherEd) + "\n");

            Assert.Equal(HostKeyVerdictKind.Trusted, Verify(HostKeyPolicy.Strict, ed).Kind);
            Assert.Equal(HostKeyVerdictKind.Revoked, Verify(HostKeyPolicy.AcceptNew, otherEd, host: "new-host").Kind);
            Assert.DoesNotContain(store.Find("new-host", 22), entry => entry.Marker == KnownHostMarker.None);
        }

        [Fact]
        public void CertAuthorityEntriesDoNotMakeAKeyTrusted()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(store.FilePath));
            File.WriteAllText(store.FilePath, "@cert-authority * ssh-ed25519 " + Convert.ToBase64String(ed) + "\n");

            Assert.Equal(HostKeyVerdictKind.Unknown, Verify(HostKeyPolicy.Strict, ed).Kind);
        }

        [Fact]
        public void WildcardEntriesAreHonoured()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(store.FilePath));
            File.WriteAllText(store.FilePath, "*.corp,!evil.corp ssh-ed25519 " + Convert.ToBase64String(ed) + "\n");

            Assert.Equal(HostKeyVerdictKind.Trusted, Verify(HostKeyPolicy.Strict, ed, host: "vpn.corp").Kind);
            Assert.Equal(HostKeyVerdictKind.Unknown, Verify(HostKeyPolicy.Strict, ed, host: "evil.corp").Kind);
        }

        [Fact]
        public void AcceptNewRecordsANewHostAndTrustsItFromThenOn()
        {
            var first = Verify(HostKeyPolicy.AcceptNew, ed, port: 2222);

            Assert.Equal(HostKeyVerdictKind.TrustedAndRecorded, first.Kind);
            Assert.True(first.IsTrusted);
            Assert.Contains("trusted on first use", first.Explain());
            var recorded = store.Find("host", 2222).Single();
            Assert.Equal(ed, recorded.GetKeyBlob());
            Assert.StartsWith("added by RemoteOps (AcceptNew)", recorded.Comment);

            Assert.Equal(HostKeyVerdictKind.Trusted, Verify(HostKeyPolicy.AcceptNew, ed, port: 2222).Kind);
            Assert.Equal(HostKeyVerdictKind.Trusted, Verify(HostKeyPolicy.Strict, ed, port: 2222).Kind);
        }

        [Fact]
        public void AcceptNewRefusesAChangedKeyAndKeepsTheOldOne()
        {
            store.Add("host", 22, "ssh-ed25519", ed);
            var before = File.ReadAllText(store.FilePath);

            var verdict = Verify(HostKeyPolicy.AcceptNew, otherEd);

            Assert.Equal(HostKeyVerdictKind.Mismatch, verdict.Kind);
            Assert.Equal(before, File.ReadAllText(store.FilePath));
        }

        [Fact]
        public void AcceptNewDoesNotRecordANewKeyTypeForAKnownHost()
        {
            store.Add("host", 22, "ssh-rsa", rsa);

            var verdict = Verify(HostKeyPolicy.AcceptNew, ed);

            Assert.Equal(HostKeyVerdictKind.Unknown, verdict.Kind);
            Assert.Contains("not even with -HostKeyPolicy AcceptNew", verdict.Explain());
            Assert.Single(store.Find("host", 22));
        }

        [Fact]
        public void AcceptNewRacingFirstConnectionsWithDifferentKeysTrustOnlyOne()
        {
            var keys = Enumerable.Range(0, 8).Select(_ => TestKeys.FakeBlob()).ToArray();
            using var start = new Barrier(keys.Length);

            var verdicts = new HostKeyVerdict[keys.Length];

            // Dedicated threads, not the pool: the barrier would otherwise wait for the pool to grow.
            var threads = keys.Select((key, i) => new Thread(() =>
            {
                var verifier = new HostKeyVerifier(new KnownHostsStore(store.FilePath), HostKeyPolicy.AcceptNew);
                start.SignalAndWait();
                verdicts[i] = verifier.Verify("host", 22, "ssh-ed25519", key);
            })).ToList();
            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());

            Assert.Single(verdicts, v => v.Kind == HostKeyVerdictKind.TrustedAndRecorded);
            Assert.All(verdicts.Where(v => v.Kind != HostKeyVerdictKind.TrustedAndRecorded), v => Assert.Equal(HostKeyVerdictKind.Mismatch, v.Kind));
            var recorded = store.Find("host", 22).Single();
            Assert.Equal(verdicts.Single(v => v.IsTrusted).PresentedFingerprint, recorded.Fingerprint);
        }

        [Fact]
        public void AcceptNewRacingFirstConnectionsWithTheSameKeyAllSucceed()
        {
            var verdicts = Enumerable.Range(0, 8).AsParallel().Select(_ => Verify(HostKeyPolicy.AcceptNew, ed)).ToArray();

            Assert.All(verdicts, v => Assert.True(v.IsTrusted));
            Assert.Single(verdicts, v => v.Kind == HostKeyVerdictKind.TrustedAndRecorded);
            Assert.Single(store.GetAll());
        }

        [Fact]
        public void NegotiatedRsaAlgorithmNamesMeanSshRsa()
        {
            var key = TestKeys.Generate(temp.Path, "rsa");
            store.Add("host", 22, "ssh-rsa", key.Blob);
            var verifier = new HostKeyVerifier(store, HostKeyPolicy.Strict);

            Assert.Equal(HostKeyVerdictKind.Trusted, verifier.Verify("host", 22, "rsa-sha2-512", key.Blob).Kind);
            Assert.Equal(HostKeyVerdictKind.Trusted, verifier.Verify("host", 22, "rsa-sha2-256", key.Blob).Kind);
            Assert.Equal("ssh-rsa", verifier.Verify("host", 22, "rsa-sha2-256", key.Blob).KeyType);
        }

        [Fact]
        public void VerifyRejectsInvalidInput()
        {
            var verifier = new HostKeyVerifier(store, HostKeyPolicy.AcceptNew);

            Assert.Throws<ArgumentException>(() => verifier.Verify("ssh-rsa", 22, "ssh-rsa", ed));
            Assert.Throws<ArgumentException>(() => verifier.Verify("host", 22, "ssh-ed25519", new byte[] { 0, 0, 0, 1 }));
            Assert.Throws<ArgumentNullException>(() => verifier.Verify("host", 22, "ssh-ed25519", null));
            Assert.Throws<ArgumentException>(() => verifier.Verify("host;reboot", 22, "ssh-ed25519", ed));
            Assert.Throws<ArgumentOutOfRangeException>(() => verifier.Verify("host", 0, "ssh-ed25519", ed));
            Assert.False(File.Exists(store.FilePath));
        }

        [Fact]
        public void VerdictsAreImmutable()
        {
            store.Add("host", 22, "ssh-ed25519", ed);
            var verdict = Verify(HostKeyPolicy.Strict, otherEd);

            Assert.Throws<NotSupportedException>(() => ((IList<string>)verdict.KnownFingerprints)[0] = Fp(otherEd));
            Assert.Equal(HostKeyVerdictKind.Mismatch, verdict.Kind);
            Assert.StartsWith("Mismatch: ", verdict.ToString());
        }
    }
}
