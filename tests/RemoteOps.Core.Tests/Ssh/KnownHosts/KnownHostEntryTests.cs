using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh.KnownHosts
{
    public sealed class KnownHostEntryTests
    {
        private static readonly string KeyText = Convert.ToBase64String(TestKeys.FakeBlob());

        private static KnownHostEntry Entry(string hosts)
        {
            var line = KnownHostsFile.ParseLine(hosts + " ssh-ed25519 " + KeyText, 1, null);
            Assert.Null(line.Problem);
            return line.Entry;
        }

        [Theory]
        [InlineData("host", "host", 22, true)]
        [InlineData("host", "HOST", 22, true)]
        [InlineData("HoSt", "host", 22, true)]
        [InlineData("host", "host", 2222, false)]
        [InlineData("host", "host2", 22, false)]
        [InlineData("host", "hos", 22, false)]
        [InlineData("[host]:2222", "host", 2222, true)]
        [InlineData("[host]:2222", "host", 22, false)]
        [InlineData("[host]:2222", "host", 222, false)]
        [InlineData("[host]:22", "host", 22, false)]
        [InlineData("a,b,c", "b", 22, true)]
        [InlineData("a,b,c", "d", 22, false)]
        [InlineData("a,[b]:2222", "b", 2222, true)]
        [InlineData("*.example.com", "x.example.com", 22, true)]
        [InlineData("*.example.com", "a.b.example.com", 22, true)]
        [InlineData("*.example.com", "example.com", 22, false)]
        [InlineData("*.example.com", "x.example.com", 2222, false)]
        [InlineData("[*.example.com]:2222", "x.example.com", 2222, true)]
        [InlineData("host?", "host1", 22, true)]
        [InlineData("host?", "host12", 22, false)]
        [InlineData("host?", "host", 22, false)]
        [InlineData("*", "anything", 22, true)]
        [InlineData("*", "anything", 2222, true)]
        [InlineData("198.18.0.*", "198.18.0.9", 22, true)]
        [InlineData("*.example.com,!bad.example.com", "bad.example.com", 22, false)]
        [InlineData("!bad.example.com,*.example.com", "bad.example.com", 22, false)]
        [InlineData("*.example.com,!bad.example.com", "good.example.com", 22, true)]
        [InlineData("!x", "y", 22, false)]
        [InlineData("!x", "x", 22, false)]
        [InlineData("*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 22, false)]
        [InlineData("::1", "::1", 22, true)]
        [InlineData("[::1]:2222", "::1", 2222, true)]
        public void MatchesFollowsOpenSSHHostPatterns(string hosts, string host, int port, bool expected)
        {
            Assert.Equal(expected, Entry(hosts).Matches(host, port));
        }

        [Fact]
        public void OurMatchingAgreesWithSshKeygenFOnPlainAndPatternEntries()
        {
            var patterns = new[] { "*.example.com,!bad.example.com", "[alpha]:2222", "host?.corp", "198.18.0.*", "exact.host" };
            var queries = new[]
            {
                ("x.example.com", 22), ("bad.example.com", 22), ("example.com", 22), ("alpha", 2222), ("alpha", 22),
                ("host1.corp", 22), ("host12.corp", 22), ("198.18.0.77", 22), ("198.18.1.77", 22), ("exact.host", 22),
                ("exact.host", 2200), ("EXACT.HOST", 22), ("x.example.com", 2222),
            };

            AssertAgreesWithSshKeygen(patterns, queries, hash: false);
        }

        [Fact]
        public void HashedEntriesWrittenBySshKeygenHMatchTheRightHostOnly()
        {
            var hosts = new[] { "alpha.example", "[beta.example]:2222", "198.18.0.5", "[198.18.0.6]:830" };
            var queries = new[]
            {
                ("alpha.example", 22), ("alpha.example", 2222), ("beta.example", 2222), ("beta.example", 22),
                ("198.18.0.5", 22), ("198.18.0.6", 830), ("198.18.0.6", 22), ("gamma.example", 22), ("alpha.exampl", 22),
            };

            AssertAgreesWithSshKeygen(hosts, queries, hash: true);
        }

        [Fact]
        public void HashedEntryMatchesRegardlessOfTheCaseTheHostIsGivenIn()
        {
            using var temp = new TempDirectory();
            var path = temp.File("known_hosts");
            File.WriteAllText(path, "alpha.example ssh-ed25519 " + KeyText + "\n");
            ProcessRunner.RunChecked("ssh-keygen", "-H", "-f", path);

            var entry = KnownHostsFile.Read(path).Single(line => line.Entry != null).Entry;

            Assert.True(entry.IsHashed);
            Assert.StartsWith("|1|", entry.HostPatterns.Single());
            Assert.True(entry.Matches("ALPHA.example", 22));
        }

        [Fact]
        public void MatchesRejectsEmptyHostAndBadPorts()
        {
            var entry = Entry("host");

            Assert.Throws<ArgumentException>(() => entry.Matches(null, 22));
            Assert.Throws<ArgumentException>(() => entry.Matches(string.Empty, 22));
            Assert.Throws<ArgumentOutOfRangeException>(() => entry.Matches("host", 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => entry.Matches("host", 65536));
        }

        [Fact]
        public void EntryIsImmutableFromOutside()
        {
            var entry = Entry("a,b");
            var blob = entry.GetKeyBlob();
            blob[10] ^= 0xFF;

            Assert.NotEqual(blob, entry.GetKeyBlob());
            Assert.Throws<NotSupportedException>(() => ((IList<string>)entry.HostPatterns)[0] = "evil");
        }

        private static void AssertAgreesWithSshKeygen(string[] hostFields, (string Host, int Port)[] queries, bool hash)
        {
            using var temp = new TempDirectory();
            var path = temp.File("known_hosts");
            File.WriteAllLines(path, hostFields.Select(field => field + " ssh-ed25519 " + KeyText));
            if (hash)
            {
                ProcessRunner.RunChecked("ssh-keygen", "-H", "-f", path);
            }

            var entries = KnownHostsFile.Read(path).Where(line => line.Entry != null).Select(line => line.Entry).ToArray();
            Assert.Equal(hostFields.Length, entries.Length);
            Assert.All(entries, entry => Assert.Equal(hash, entry.IsHashed));

            foreach (var (host, port) in queries)
            {
                var name = port == 22 ? host : "[" + host + "]:" + port;
                var openSsh = ProcessRunner.Run("ssh-keygen", new[] { "-F", name, "-f", path }).ExitCode == 0;
                var ours = entries.Any(entry => entry.Matches(host, port));
                Assert.True(openSsh == ours, $"{name}: ssh-keygen -F says {openSsh}, RemoteOps says {ours}");
            }

            // The oracle must be able to say yes and no, or the comparison proves nothing.
            Assert.Contains(queries, q => entries.Any(entry => entry.Matches(q.Host, q.Port)));
            Assert.Contains(queries, q => !entries.Any(entry => entry.Matches(q.Host, q.Port)));
        }
    }
}
