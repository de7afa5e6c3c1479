using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Diagnostics.Checks;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    public sealed class OpenconnectOutcomeTests
    {
        [Theory]
        [InlineData(0, "", RemoteAccessCause.None)]
        [InlineData(1, "POST https://198.18.2.11/\nLogin failed.\n", RemoteAccessCause.WrongPassword)]
        [InlineData(1, "Server certificate verify failed: signer not found\n", RemoteAccessCause.CertificateInvalid)]
        [InlineData(1, "Failed to connect to host 198.18.2.11\nFailed to open HTTPS connection to 198.18.2.11\n", RemoteAccessCause.GatewayUnreachable)]
        [InlineData(1, "getaddrinfo failed for host 'vpn.example': Name or service not known\n", RemoteAccessCause.GatewayNameNotResolved)]
        [InlineData(1, "Something new\n", RemoteAccessCause.CheckNotMade)]
        [InlineData(1, "Your password has expired\nFailed to complete authentication\n", RemoteAccessCause.PasswordExpired)]
        [InlineData(1, "Unknown form ID 'frmChangePassword'\nDumping unknown HTML form:\n", RemoteAccessCause.PasswordExpired)]
        [InlineData(1, "Unknown form ID 'frmDefender'\n", RemoteAccessCause.CheckNotMade)]

        // openconnect 9.01 (--protocol=nc) at the lab Connect Secure's password-change page; its
        // usual "Server certificate verify failed" line (the pin is accepted after it) must not win.
        [InlineData(1, "Server certificate verify failed: signer not found\nPOST https://127.0.0.1:39381/dana-na/auth/url_default/login.cgi\nUnknown form (name 'frmChangePassword', id '(null)')\nDumping unknown HTML form:\n</form>Failed to complete authentication\n", RemoteAccessCause.PasswordExpired)]
        public void ClassifiesOpenconnectsMessages(int exitCode, string messages, RemoteAccessCause expected)
        {
            Assert.Equal(expected, OpenconnectOutcome.Classify(exitCode, messages));
        }

        [Fact]
        public void EvidenceDropsPromptsAndCookies()
        {
            string evidence = OpenconnectOutcome.Evidence("Password:\nCOOKIE='webvpn=abc'\nGot HTTP response\nLogin failed.\n");

            Assert.Equal("Login failed.", evidence);
        }

        [Fact]
        public void EvidenceKeepsTheRefusalThatLaterPromptsWouldPushOut()
        {
            string evidence = OpenconnectOutcome.Evidence("POST https://198.18.30.11/\nGot HTTP response: HTTP/1.1 200 OK\nLogin failed.\nPassword:\nUser input required in non-interactive mode\nFailed to complete authentication\n");

            Assert.Equal("Login failed. | Failed to complete authentication", evidence);
        }

        [Fact]
        public void EvidenceKeepsTheDemandForANewPassword()
        {
            Assert.Equal("Unknown form ID 'frmChangePassword'", OpenconnectOutcome.Evidence("Got HTTP response\nUnknown form ID 'frmChangePassword'\nDumping unknown HTML form:\n"));
        }

        [Fact]
        public void EvidenceWithoutAFailureIsTheLastLines()
        {
            Assert.Equal("b | c | d", OpenconnectOutcome.Evidence("a\nb\nc\nd\n"));
        }
    }
}
