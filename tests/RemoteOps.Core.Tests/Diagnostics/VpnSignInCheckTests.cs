using System.Security;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Diagnostics.Checks;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    public sealed class VpnSignInCheckTests
    {
        [Theory]
        [InlineData(VpnSignInOutcome.SignedIn, RemoteAccessCheckStatus.Passed, RemoteAccessCause.None)]
        [InlineData(VpnSignInOutcome.SignedInElsewhere, RemoteAccessCheckStatus.Passed, RemoteAccessCause.None)]
        [InlineData(VpnSignInOutcome.Refused, RemoteAccessCheckStatus.Failed, RemoteAccessCause.WrongPassword)]
        [InlineData(VpnSignInOutcome.LockedOut, RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountDisabled)]
        [InlineData(VpnSignInOutcome.NoFreeSession, RemoteAccessCheckStatus.Failed, RemoteAccessCause.LicenceFull)]
        [InlineData(VpnSignInOutcome.PasswordChangeRequired, RemoteAccessCheckStatus.Failed, RemoteAccessCause.PasswordExpired)]
        [InlineData(VpnSignInOutcome.NoRoleMapped, RemoteAccessCheckStatus.Failed, RemoteAccessCause.NoAccessMapping)]
        [InlineData(VpnSignInOutcome.RealmNotOffered, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None)]
        [InlineData(VpnSignInOutcome.Unexpected, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None)]
        public async Task NamesTheCauseTheAppliancesAnswerShows(VpnSignInOutcome outcome, RemoteAccessCheckStatus status, RemoteAccessCause cause)
        {
            var check = new VpnSignInCheck(new AnsweringSignIn(outcome), "ConnectSecure ics.test");

            RemoteAccessCheckResult result = await check.RunAsync(new RemoteAccessRequest("jsmith", Secrets.Secure("Pa55-word!")), CancellationToken.None);

            Assert.Equal(status, result.Status);
            Assert.Equal(cause, result.Cause);
            Assert.Equal("said " + outcome, result.Evidence);
        }

        [Fact]
        public async Task WithoutAPasswordNothingIsTried()
        {
            var signIn = new AnsweringSignIn(VpnSignInOutcome.SignedIn);

            RemoteAccessCheckResult result = await new VpnSignInCheck(signIn, "ConnectSecure ics.test").RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);

            Assert.Equal(RemoteAccessCheckStatus.NotAvailable, result.Status);
            Assert.Equal(0, signIn.Calls);
        }

        private sealed class AnsweringSignIn : IVpnSignIn
        {
            private readonly VpnSignInOutcome outcome;

            internal AnsweringSignIn(VpnSignInOutcome outcome)
            {
                this.outcome = outcome;
            }

            internal int Calls { get; private set; }

            public Task<VpnSignInResult> SignInAsync(string userName, SecureString password, CancellationToken cancellationToken)
            {
                Calls++;
                return Task.FromResult(new VpnSignInResult(outcome, "said " + outcome));
            }
        }
    }
}
