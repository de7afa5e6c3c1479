using System;
using System.IO;
using System.Linq;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh.KnownHosts
{
    public sealed class KnownHostsFileTests
    {
        private static readonly byte[] Ed25519 = TestKeys.FakeBlob("ssh-ed25519");
        private static readonly string Ed25519Text = Convert.ToBase64String(Ed25519);

        [Fact]
        public void ParsesALineMadeFromAnSshKeygenPublicKey()
        {
            using var temp = new TempDirectory();
            var key = TestKeys.Generate(temp.Path, "ecdsa");
            var fields = key.PublicLine.Split(' ');

            var line = KnownHostsFile.ParseLine("host.example,198.18.0.7 " + fields[0] + " " + fields[1] + " made by  ssh-keygen", 3, "/x/known_hosts");

            Assert.Null(line.Problem);
            var entry = line.Entry;
            Assert.Equal(new[] { "host.example", "198.18.0.7" }, entry.HostPatterns);
            Assert.Equal(KnownHostMarker.None, entry.Marker);
            Assert.Equal("ecdsa-sha2-nistp256", entry.KeyType);
            Assert.Equal(key.Blob, entry.GetKeyBlob());
            Assert.Equal(fields[1], entry.KeyBase64);
            Assert.Equal("made by  ssh-keygen", entry.Comment);
            Assert.False(entry.IsHashed);
            Assert.Equal(3, entry.LineNumber);
            Assert.Equal("/x/known_hosts", entry.SourcePath);
            Assert.Equal(SshFingerprint.Sha256(key.Blob), entry.Fingerprint);
        }

        [Fact]
        public void ParsesSshKeyscanStyleLinesWithoutComment()
        {
            var line = KnownHostsFile.ParseLine("[host]:2222 ssh-ed25519 " + Ed25519Text, 1, null);

            Assert.Null(line.Entry.Comment);
            Assert.Equal("[host]:2222", line.Entry.HostPatterns.Single());
        }

        [Theory]
        [InlineData("@cert-authority", KnownHostMarker.CertAuthority)]
        [InlineData("@revoked", KnownHostMarker.Revoked)]
        public void ParsesMarkers(string marker, KnownHostMarker expected)
        {
            var line = KnownHostsFile.ParseLine(marker + " * ssh-ed25519 " + Ed25519Text, 1, null);

            Assert.Equal(expected, line.Entry.Marker);
            Assert.Equal("*", line.Entry.HostPatterns.Single());
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("\t")]
        [InlineData("# a comment")]
        [InlineData("   # indented comment with host ssh-ed25519 AAAA")]
        public void BlankAndCommentLinesHaveNoEntryAndNoProblem(string text)
        {
            var line = KnownHostsFile.ParseLine(text, 1, null);

            Assert.Null(line.Entry);
            Assert.Null(line.Problem);
        }

        [Theory]
        [InlineData("host", "too few fields")]
        [InlineData("host ssh-ed25519", "too few fields")]
        [InlineData("@revoked", "too few fields")]
        [InlineData("@revoked host ssh-ed25519", "too few fields")]
        [InlineData("@trusted host ssh-ed25519 KEY", "unknown marker")]
        [InlineData("host ssh-ed25519 !!!notbase64!!!", "not valid base64")]
        [InlineData("host ssh-ed25519 AAAA", "not an SSH public key")]
        [InlineData("host ssh-rsa KEY", "the line says")]
        [InlineData("host 1024 35 1234567890", "protocol 1")]
        [InlineData("host ssh-ed25519;rm KEY", "not a key type name")]
        [InlineData("a,,b ssh-ed25519 KEY", "empty pattern")]
        [InlineData("a,! ssh-ed25519 KEY", "empty pattern")]
        [InlineData("|1|abc|def ssh-ed25519 KEY", "hashed host field is malformed")]
        [InlineData("|2|AAAAAAAAAAAAAAAAAAAAAAAAAAA=|AAAAAAAAAAAAAAAAAAAAAAAAAAA= ssh-ed25519 KEY", "hashed host field is malformed")]
        [InlineData("|1|AAAAAAAAAAAAAAAAAAAAAAAAAAA=|AAAAAAAAAAAAAAAAAAAAAAAAAAA=,other ssh-ed25519 KEY", "hashed host field is malformed")]
        public void BadLinesBecomeProblemsNotExceptions(string template, string expected)
        {
            var line = KnownHostsFile.ParseLine(template.Replace("KEY", Ed25519Text), 7, null);

            Assert.Null(line.Entry);
            Assert.Contains(expected, line.Problem);
            Assert.Equal(7, line.LineNumber);
        }

        [Fact]
        public void RandomGarbageNeverThrows()
        {
            var random = new Random(42);
            const string alphabet = "ab@|1,!*?[]: \t#=+/AZ09\u00e9\r";
            for (var i = 0; i < 5000; i++)
            {
                var chars = Enumerable.Range(0, random.Next(0, 80)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
                var text = new string(chars);
                if (random.Next(3) == 0)
                {
                    text = text + " ssh-ed25519 " + Ed25519Text;
                }

                var line = KnownHostsFile.ParseLine(text, i + 1, null);
                Assert.Equal(text, line.Text);
            }
        }

        [Fact]
        public void ReadHandlesCRLFBOMAndReportsLineNumbers()
        {
            using var temp = new TempDirectory();
            var path = temp.File("known_hosts");
            File.WriteAllText(path, "\uFEFFa ssh-ed25519 " + Ed25519Text + "\r\n# comment\r\nbroken line\r\n\r\nb ssh-ed25519 " + Ed25519Text + " c\r\n");

            var lines = KnownHostsFile.Read(path);

            Assert.Equal(5, lines.Count);
            Assert.Equal("a", lines[0].Entry.HostPatterns.Single());
            Assert.Equal(3, lines.Single(line => line.Problem != null).LineNumber);
            Assert.Equal("c", lines[4].Entry.Comment);
            Assert.Equal(5, lines[4].Entry.LineNumber);
        }

        [Fact]
        public void ReadOfAMissingFileIsEmpty()
        {
            using var temp = new TempDirectory();

            Assert.Empty(KnownHostsFile.Read(temp.File("absent")));
            Assert.Empty(KnownHostsFile.Read(Path.Combine(temp.Path, "no-dir", "absent")));
        }

        [Theory]
        [InlineData("host ssh-ed25519 KEY")]
        [InlineData("host ssh-ed25519 KEY a comment")]
        [InlineData("@revoked * ssh-ed25519 KEY")]
        [InlineData("@cert-authority *.corp,!x.corp ssh-ed25519 KEY ca")]
        [InlineData("[h]:2222,198.18.0.1 ssh-ed25519 KEY")]
        public void FormatRoundTrips(string template)
        {
            var text = template.Replace("KEY", Ed25519Text);

            var entry = KnownHostsFile.ParseLine(text, 1, null).Entry;
            var formatted = KnownHostsFile.Format(entry);
            var again = KnownHostsFile.ParseLine(formatted, 1, null).Entry;

            Assert.Equal(text, formatted);
            Assert.Equal(entry.HostPatterns, again.HostPatterns);
            Assert.Equal(entry.Marker, again.Marker);
            Assert.Equal(entry.KeyType, again.KeyType);
            Assert.Equal(entry.GetKeyBlob(), again.GetKeyBlob());
            Assert.Equal(entry.Comment, again.Comment);
            Assert.Equal(formatted, entry.ToString());
        }

        [Fact]
        public void FormattingNormalizesBlanksBetweenFields()
        {
            var entry = KnownHostsFile.ParseLine("  host\t\tssh-ed25519   " + Ed25519Text + "  spaced   comment  ", 1, null).Entry;

            Assert.Equal("host ssh-ed25519 " + Ed25519Text + " spaced   comment", KnownHostsFile.Format(entry));
        }
    }
}
