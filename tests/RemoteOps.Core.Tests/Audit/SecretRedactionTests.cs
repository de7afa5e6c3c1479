using System;
using System.IO;
using System.Linq;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Audit
{
    public sealed class SecretRedactionTests
    {
        private const string Secret = "Tr0ub4dor&3-p@ss w/rd\"\\";

        [Fact]
        public void RedactMasksEveryOccurrenceOfEachSecret()
        {
            var redacted = AuditLog.Redact("login with " + Secret + " then again " + Secret, new[] { Secret });

            Assert.Equal("login with *** then again ***", redacted);
        }

        [Fact]
        public void RedactMasksTheURLAndJSONSpellingsOfASecret()
        {
            var inUrl = "https://vpn/api?pw=" + Uri.EscapeDataString(Secret);
            var inJson = Newtonsoft.Json.JsonConvert.SerializeObject(new { pass = Secret });

            var redacted = AuditLog.Redact(inUrl + " " + inJson, new[] { Secret });

            Assert.DoesNotContain(Uri.EscapeDataString(Secret), redacted);
            Assert.DoesNotContain("Tr0ub4dor", redacted);
            Assert.Equal("https://vpn/api?pw=*** {\"pass\":\"***\"}", redacted);
        }

        [Fact]
        public void ASecretInsideALongerSecretLeavesNothingOfEither()
        {
            var redacted = AuditLog.Redact("x abcdef y abc z", new[] { "abc", "abcdef" });

            Assert.Equal("x *** y *** z", redacted);
        }

        [Theory]
        [InlineData("it's")]
        [InlineData("'quoted'")]
        [InlineData("a'b'c d")]
        public void ASecretWithASingleQuoteIsMaskedInItsShellQuotedForm(string secret)
        {
            var commandLine = "chpasswd <<< " + RemoteOps.Core.Ssh.PosixShell.Quote("root:" + secret) + " && echo " + RemoteOps.Core.Ssh.PosixShell.Quote(secret);

            var redacted = AuditLog.Redact(commandLine, new[] { secret });

            Assert.Equal("chpasswd <<< 'root:***' && echo '***'", redacted);
        }

        [Theory]
        [InlineData("root", "chroot /srv/rootfs; ssh rootserver.example; echo root_", "chroot /srv/rootfs; ssh rootserver.example; echo root_")]
        [InlineData("root", "login root, then root@gw1 and 'root'", "login ***, then ***@gw1 and '***'")]
        [InlineData("echo", "echoes=1; /bin/echo hi; xecho", "echoes=1; /bin/*** hi; xecho")]
        [InlineData("2024", "build 20241 of 2024", "build 20241 of ***")]
        [InlineData("p@ss", "xp@ssy p@ss", "xp@ssy ***")]
        public void ASecretIsMaskedAsAWholeValueNeverInsideALongerWord(string secret, string text, string expected)
        {
            Assert.Equal(expected, AuditLog.Redact(text, new[] { secret }));
        }

        [Fact]
        public void ASecretStartingOrEndingInPunctuationIsMaskedWhereverItStands()
        {
            Assert.Equal("x*** and ***y", AuditLog.Redact("x!pw! and !pw!y", new[] { "!pw!" }));
        }

        [Fact]
        public void SecretsAreMatchedLiterallyNotAsPatterns()
        {
            Assert.Equal("keep this *** text", AuditLog.Redact("keep this .* text", new[] { ".*" }));
            Assert.Equal("a(b", AuditLog.Redact("a(b", new[] { "(c" }));
        }

        [Fact]
        public void NullAndEmptyInputsAreHarmless()
        {
            Assert.Null(AuditLog.Redact(null, new[] { "x" }));
            Assert.Equal(string.Empty, AuditLog.Redact(string.Empty, new[] { "x" }));
            Assert.Equal("text", AuditLog.Redact("text", null));
            Assert.Equal("text", AuditLog.Redact("text", new[] { null, string.Empty }));
        }

        [Theory]
        [InlineData("password=hunter2", "password=***")]
        [InlineData("user=jo Password: hunter2 next", "user=jo Password: *** next")]
        [InlineData("{\"password\":\"hunter2\",\"user\":\"jo\"}", "{\"password\":***,\"user\":\"jo\"}")]
        [InlineData("pwd='hunter 2' rest", "pwd=*** rest")]
        [InlineData("client_secret=abc&grant=x", "client_secret=***&grant=x")]
        [InlineData("X-Api-Key: 0123456789", "X-Api-Key: ***")]
        [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc", "Authorization: Bearer ***")]
        [InlineData("Authorization: Basic am86aHVudGVyMg==", "Authorization: Basic ***")]
        [InlineData("sent bearer abcdefghijkl", "sent bearer ***")]
        [InlineData("https://jo:hunter2@vpn.example/api", "https://jo:***@vpn.example/api")]
        [InlineData("Set-Thing -Password hunter2 -Force", "Set-Thing -Password *** -Force")]
        public void ValuesThatArePlainlyCredentialsAreMaskedWithoutBeingNamed(string text, string expected)
        {
            Assert.Equal(expected, AuditLog.Redact(text, null));
        }

        [Theory]
        [InlineData("basic checks passed")]
        [InlineData("token expired, logged in again")]
        [InlineData("https://vpn.example:8443/api")]
        [InlineData("Reset the password for jo")]
        [InlineData("user@host:2222")]
        public void OrdinaryTextIsLeftAlone(string text)
        {
            Assert.Equal(text, AuditLog.Redact(text, null));
        }

        [Fact]
        public void ARecordBuiltThroughThePublicAPIAfterRedactNeverCarriesTheSecret()
        {
            using var temp = new TempDirectory();
            var log = new AuditLog(temp.File("audit.jsonl"));
            var secrets = new[] { Secret };

            log.Append(new AuditRecord
            {
                User = "jo",
                Target = AuditLog.Redact("https://vpn/login?pw=" + Uri.EscapeDataString(Secret), secrets),
                Action = AuditLog.Redact("Set-RoVpnUser -Password " + Secret, secrets),
                Outcome = "Succeeded",
                Detail = AuditLog.Redact("body {\"password\":" + Newtonsoft.Json.JsonConvert.ToString(Secret) + "} sent with " + Secret, secrets),
            });

            var text = File.ReadAllText(log.Path);
            Assert.DoesNotContain("Tr0ub4dor", text);
            var record = log.Read().Single();
            Assert.DoesNotContain("Tr0ub4dor", record.Detail + record.Target + record.Action);
            Assert.Contains("***", record.Detail);
        }

        [Fact]
        public void ARecordMasksPlainCredentialsEvenWhenTheCallerForgotToRedact()
        {
            var record = new AuditRecord
            {
                Target = "https://admin:hunter2@fw.example/",
                Action = "Invoke password=hunter2",
                Detail = "Authorization: Bearer abcdefghijklmnop",
            };

            Assert.DoesNotContain("hunter2", record.Target + record.Action);
            Assert.DoesNotContain("abcdefghijklmnop", record.Detail);
        }

        [Fact]
        public void TheRedactionTestCanFailARecordBuiltWithoutRedactKeepsAnUnlabelledSecret()
        {
            var record = new AuditRecord { Detail = "connected with " + Secret };

            Assert.Contains("Tr0ub4dor", record.Detail);
        }
    }
}
