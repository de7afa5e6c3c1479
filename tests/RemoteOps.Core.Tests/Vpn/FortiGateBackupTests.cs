using RemoteOps.Core.Vpn.FortiGate;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn
{
    public sealed class FortiGateBackupTests
    {
        [Fact]
        public void WithholdsEverySecretValueButKeepsTheRest()
        {
            string configuration = string.Join("\n",
                "config user local",
                "    edit \"alice\"",
                "        set passwd ENC AbCdEf123",
                "        set email-to \"alice@corp.example\"",
                "    next",
                "end",
                "config vpn ipsec phase1-interface",
                "    edit \"hq\"",
                "        set psksecret ENC Zz9",
                "        set ppk-secret ENC Yy8",
                "        set auth-pwd ENC Xx7",
                "    next",
                "end",
                "config vpn certificate local",
                "    edit \"gw\"",
                "        set private-key \"-----BEGIN ENCRYPTED PRIVATE KEY-----",
                "MIIBvTBXBgkqhkiG9w0BBQ0w",
                "-----END ENCRYPTED PRIVATE KEY-----\"",
                "        set certificate \"-----BEGIN CERTIFICATE-----\"",
                "    next",
                "end");
            string withheld = FortiGateAppliance.WithholdSecrets(configuration);
            foreach (string secret in new[] { "AbCdEf123", "Zz9", "Yy8", "Xx7", "MIIBvTBXBgkqhkiG9w0BBQ0w" })
            {
                Assert.DoesNotContain(secret, withheld);
            }

            Assert.Contains("set email-to \"alice@corp.example\"", withheld);
            Assert.Contains("set certificate \"-----BEGIN CERTIFICATE-----\"", withheld);
            Assert.Contains("set passwd (withheld)", withheld);
        }
    }
}
