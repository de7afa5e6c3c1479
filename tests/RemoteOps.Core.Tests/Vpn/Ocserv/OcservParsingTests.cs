using System;
using System.Linq;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.Ocserv;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn.Ocserv
{
    public sealed class OcservConfigParsingTests
    {
        [Fact]
        public void FindsThePasswordFileTheOcctlSocketAndMaxClientsOfTheGlobalSection()
        {
            OcservConfig config = OcservConfig.Parse(OcservSamples.Config);
            Assert.Equal("/etc/ocserv/passwd", config.PlainAuth.PasswdFile);
            Assert.Equal("/run/occtl.socket", config.OcctlSocketFile);
            Assert.Equal(16, config.MaxClients);
            Assert.Equal(new[] { "198.19.0.0/255.255.0.0", "198.18.0.0/255.255.0.0" }, config.All("route"));
            Assert.Null(config.ConfigPerGroup);
        }

        [Fact]
        public void TheWorkerSocketIsNotTakenForOcctls()
        {
            OcservConfig config = OcservConfig.Parse("auth = \"plain[passwd=/p]\"\nsocket-file = /run/ocserv-socket\n");
            Assert.Null(config.OcctlSocketFile);
        }

        [Theory]
        [InlineData("auth = \"plain[passwd=/etc/ocserv/ocpasswd,otp=/etc/ocserv/otp]\"", "/etc/ocserv/ocpasswd")]
        [InlineData("auth = plain[passwd=/srv/vpn/users]", "/srv/vpn/users")]
        [InlineData("auth = \"plain[/etc/ocserv/legacy]\"", "/etc/ocserv/legacy")]
        [InlineData("  auth=\"plain[ passwd = /x/y ]\"  ", "/x/y")]
        [InlineData("auth = \"plain\"", null)]
        public void ReadsEveryFormOfThePlainMethod(string line, string passwd)
        {
            OcservConfig config = OcservConfig.Parse(line + "\n");
            Assert.NotNull(config.PlainAuth);
            Assert.Equal(passwd, config.PlainAuth.PasswdFile);
        }

        [Fact]
        public void ReportsOtherMethodsAndNoPlain()
        {
            OcservConfig config = OcservConfig.Parse("auth = \"pam[gid-min=1000]\"\nenable-auth = \"certificate\"\n#auth = \"plain[passwd=/x]\"\n");
            Assert.Null(config.PlainAuth);
            Assert.Equal(new[] { "pam", "certificate" }, config.AuthMethods.Select(m => m.Name));
        }

        [Theory]
        [InlineData("max-clients = 0\n", null)]
        [InlineData("", null)]
        [InlineData("max-clients = lots\n", null)]
        [InlineData("max-clients = 1024\nmax-clients = 200\n", 200)]
        public void MaxClientsZeroOrAbsentIsUnlimited(string text, int? expected)
        {
            Assert.Equal(expected, OcservConfig.Parse(text).MaxClients);
        }

        [Fact]
        public void ReadsConfigPerGroup()
        {
            Assert.Equal("/etc/ocserv/config-per-group/", OcservConfig.Parse("config-per-group = /etc/ocserv/config-per-group/\n").ConfigPerGroup);
        }
    }

    public sealed class OcpasswdFileTests
    {
        [Fact]
        public void ParsesUsersGroupsAndLocksLikeOcserv()
        {
            var entries = OcpasswdFile.Parse(OcservSamples.Passwd);
            Assert.Equal(new[] { "alice", "bob", "carol", "dave" }, entries.Select(e => e.UserName));

            var alice = OcpasswdFile.Find(entries, "alice");
            Assert.Equal(new[] { "staff", "ops" }, alice.Groups);
            Assert.False(alice.Locked);
            Assert.Equal("staff,ops", alice.GroupField);

            var bob = OcpasswdFile.Find(entries, "bob");
            Assert.True(bob.Locked);
            Assert.Empty(bob.Groups);
            Assert.Equal("*", bob.GroupField);

            Assert.Empty(OcpasswdFile.Find(entries, "carol").Groups);
            Assert.Equal(new[] { "g1", "g2" }, OcpasswdFile.Find(entries, "dave").Groups);
        }

        [Fact]
        public void TheFirstLineOfANameWinsAsInOcservsPlainAuth()
        {
            var entries = OcpasswdFile.Parse(OcservSamples.Passwd);
            Assert.Single(entries, e => e.UserName == "alice");
            Assert.Equal(new[] { "staff", "ops" }, OcpasswdFile.Find(entries, "alice").Groups);
        }

        [Fact]
        public void NamesAreCaseSensitive()
        {
            Assert.Null(OcpasswdFile.Find(OcpasswdFile.Parse(OcservSamples.Passwd), "Alice"));
        }

        [Fact]
        public void CommentsBlankAndTwoFieldLinesAreNoUsers()
        {
            var entries = OcpasswdFile.Parse("# x:y:z\n\n   \nonly:two\nnocolon\n:empty:name\n");
            Assert.Empty(entries);
        }

        [Fact]
        public void EntriesNeverHoldTheHash()
        {
            foreach (var entry in OcpasswdFile.Parse(OcservSamples.Passwd))
            {
                Assert.DoesNotContain("$5$", entry.ToString());
                Assert.DoesNotContain("$5$", entry.GroupField);
                Assert.DoesNotContain("$5$", entry.HashDigest);
            }
        }

        [Fact]
        public void LockingKeepsTheHashDigest()
        {
            var open = OcpasswdFile.Parse("u:*:$5$abc$def\n").Single();
            var locked = OcpasswdFile.Parse("u:*:!$5$abc$def\n").Single();
            var other = OcpasswdFile.Parse("u:*:$5$abc$xyz\n").Single();
            Assert.Equal(open.HashDigest, locked.HashDigest);
            Assert.NotEqual(open.HashDigest, other.HashDigest);
        }

        [Fact]
        public void RedactionWithholdsEveryHashAndKeepsTheLockMark()
        {
            string redacted = OcpasswdFile.Redact(OcservSamples.Passwd);
            Assert.Equal(
                "alice:staff,ops:(hash withheld)\n" +
                "bob:*:!(hash withheld)\n" +
                "carol::(hash withheld)\n" +
                "dave:g1, g2:(hash withheld)\n" +
                "alice:other:(hash withheld)\n",
                redacted);
            Assert.DoesNotContain("$", redacted);
            Assert.DoesNotContain("comment", redacted);
            Assert.DoesNotContain("notausable", redacted);
        }

        [Theory]
        [InlineData("*", new string[0])]
        [InlineData("", new string[0])]
        [InlineData("a", new[] { "a" })]
        [InlineData(" a , b ,,*", new[] { "a", "b" })]
        public void SplitsGroupFields(string field, string[] groups)
        {
            Assert.Equal(groups, OcpasswdFile.SplitGroups(field));
        }
    }

    public sealed class OcctlJsonTests
    {
        private static readonly TimeSpan Plus2 = TimeSpan.FromHours(2);

        [Fact]
        public void ReadsConnectedUsersDespiteTheDuplicateRoutesKey()
        {
            JToken users = OcctlJson.Parse(OcservSamples.Users);
            Assert.Equal("defaultroute", (string)users[0]["Routes"]);

            var sessions = OcctlJson.ReadSessions(users, "vpn1", "admin@vpn1:22", Plus2);
            Assert.Equal(new[] { "4242", "4250" }, sessions.Select(s => s.SessionId));

            var alice = sessions[0];
            Assert.Equal("alice", alice.UserName);
            Assert.Equal("staff", alice.Group);
            Assert.Equal("198.18.0.21", alice.ClientAddress);
            Assert.Equal("198.19.1.10", alice.TunnelAddress);
            Assert.Equal(10240, alice.BytesIn);
            Assert.Equal(20480, alice.BytesOut);
            Assert.Equal("Open AnyConnect VPN Agent v9.01-3", alice.Agent);
            Assert.Equal("vpn1", alice.Node);
            Assert.Equal("admin@vpn1:22", alice.Appliance);
            Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 15, 0, Plus2), alice.SignInTime);
            Assert.Equal(TimeSpan.FromMinutes(1), alice.SignInTimeResolution);
            Assert.True(alice.SignInTimeZoneKnown);
        }

        [Fact]
        public void RawConnectedAtOfNewerServersGivesTheSecondsToo()
        {
            // ocserv 1.2.3 and later add "raw_connected_at" (Unix seconds) beside the minute text.
            var users = JArray.Parse("[{\"ID\": 7, \"Username\": \"alice\", \"State\": \"connected\", \"Connected at\": \"2024-05-01 09:15\", \"raw_connected_at\": 1714547742}]");
            VpnSession session = OcctlJson.ReadSessions(users, "vpn1", "a", Plus2).Single();
            Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 15, 42, Plus2), session.SignInTime);
            Assert.Equal(Plus2, session.SignInTime.Value.Offset);
            Assert.Equal(TimeSpan.FromSeconds(1), session.SignInTimeResolution);
        }

        [Fact]
        public void AConnectedAtWithSecondsHasSecondResolutionAndNoTimeNoResolution()
        {
            var users = JArray.Parse("[{\"ID\": 7, \"Username\": \"a\", \"Connected at\": \"2024-05-01 09:15:42\"}, {\"ID\": 8, \"Username\": \"b\"}]");
            var sessions = OcctlJson.ReadSessions(users, "vpn1", "a", null);
            Assert.Equal(TimeSpan.FromSeconds(1), sessions[0].SignInTimeResolution);
            Assert.Null(sessions[1].SignInTime);
            Assert.Null(sessions[1].SignInTimeResolution);
        }

        [Fact]
        public void AbsentKeysBecomeNulls()
        {
            var bob = OcctlJson.ReadSessions(OcctlJson.Parse(OcservSamples.Users), "vpn1", "a", null)[1];
            Assert.Null(bob.Agent);
            Assert.Null(bob.Group);
            Assert.Equal(0, bob.BytesIn);
            Assert.Equal(512, bob.BytesOut);
            Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 2, 0, TimeSpan.Zero), bob.SignInTime);
            Assert.False(bob.SignInTimeZoneKnown);
        }

        [Fact]
        public void WorkersNotYetConnectedAreNoSessions()
        {
            var sessions = OcctlJson.ReadSessions(OcctlJson.Parse(OcservSamples.Users), "vpn1", "a", null);
            Assert.DoesNotContain(sessions, s => s.UserName == "carol");
        }

        [Fact]
        public void TheEmptyListOf116IsNoSessions()
        {
            Assert.Empty(OcctlJson.ReadSessions(OcctlJson.Parse(OcservSamples.NoUsers), "vpn1", "a", null));
        }

        [Fact]
        public void ReadsActiveSessionsAsNumberOrString()
        {
            Assert.Equal(2, OcctlJson.ActiveSessions(OcctlJson.Parse(OcservSamples.Status)));
            Assert.Equal(7, OcctlJson.ActiveSessions(JObject.Parse("{\"Active sessions\": \"7\"}")));
            Assert.Null(OcctlJson.ActiveSessions(OcctlJson.Parse(OcservSamples.StatusOffline)));
        }

        [Theory]
        [InlineData("2024-05-01 09:15", "2024-05-01T09:15:00+02:00")]
        [InlineData("2024-05-01 09:15:42", "2024-05-01T09:15:42+02:00")]
        [InlineData("yesterday", null)]
        [InlineData("", null)]
        public void ReadsConnectedAtInTheServersTimeZone(string text, string expected)
        {
            DateTimeOffset? time = OcctlJson.ConnectedAt(text, Plus2);
            Assert.Equal(expected == null ? (DateTimeOffset?)null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), time);
        }

        [Fact]
        public void TextThatIsNotJsonIsRefused()
        {
            Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => OcctlJson.Parse("error connecting to ocserv socket '/run/occtl.socket': No such file or directory"));
            Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => OcctlJson.Parse("[] trailing"));
        }
    }
}
