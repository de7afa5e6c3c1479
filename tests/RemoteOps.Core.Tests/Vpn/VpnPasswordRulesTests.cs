using System.Security;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.ConnectSecure;
using RemoteOps.Core.Vpn.FortiGate;
using RemoteOps.Core.Vpn.Ocserv;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn
{
    public sealed class VpnPasswordRulesTests
    {
        private static SecureString Secret(string text)
        {
            var secret = new SecureString();
            foreach (char c in text)
            {
                secret.AppendChar(c);
            }

            return secret;
        }

        private static ApplianceException Refusal(VpnPasswordRules rules, string password)
            => Assert.Throws<ApplianceException>(() => rules.Check("jo", Secret(password)));

        [Fact]
        public void OcservTakes511BytesAndRefuses512NamingTheLimit()
        {
            VpnPasswordRules rules = OcservAppliance.Rules;
            rules.Check("jo", Secret(new string('a', 511)));
            ApplianceException error = Refusal(rules, new string('a', 512));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Contains("user 'jo'", error.Message);
            Assert.Contains("512 bytes", error.Message);
            Assert.Contains("at most 511 bytes", error.Message);
            Assert.Contains("ocserv", error.Message);
            Assert.DoesNotContain(new string('a', 20), error.Message);
        }

        [Fact]
        public void OcservCountsBytesNotCharacters()
        {
            // "€" is three bytes in UTF-8: 170 of them are 510 bytes, 171 are 513.
            OcservAppliance.Rules.Check("jo", Secret(new string('€', 170)));
            ApplianceException error = Refusal(OcservAppliance.Rules, new string('€', 171));
            Assert.Contains("513 bytes", error.Message);
        }

        [Theory]
        [InlineData("line\nbreak")]
        [InlineData("carriage\rreturn")]
        [InlineData("nul\0char")]
        public void OcservRefusesWhatEndsItsOneLineOfInput(string password)
        {
            ApplianceException error = Refusal(OcservAppliance.Rules, password);
            Assert.Contains("line break or NUL", error.Message);
            Assert.DoesNotContain(password, error.Message);
        }

        [Fact]
        public void OcservTakesTabsSpacesAndAnyOtherCharacter()
        {
            OcservAppliance.Rules.Check("jo", Secret(" tab\there: colon \"q\" `id` $HOME pässwörd "));
        }

        [Fact]
        public void FortiGateAndConnectSecureTake128CharactersWithoutControlCharacters()
        {
            foreach (VpnPasswordRules rules in new[] { FortiGateAppliance.Rules, ConnectSecureAppliance.Rules })
            {
                rules.Check("jo", Secret(new string('x', 128)));
                ApplianceException error = Refusal(rules, new string('x', 129));
                Assert.Contains("129 characters", error.Message);
                Assert.Contains("at most 128 characters", error.Message);
                Assert.Contains("control character", Refusal(rules, "tab\there").Message);
            }
        }

        [Fact]
        public void AnAbsentPasswordIsLeftToTheDriverToRefuse()
        {
            OcservAppliance.Rules.Check("jo", null);
            OcservAppliance.Rules.Check("jo", new SecureString());
        }
    }
}
