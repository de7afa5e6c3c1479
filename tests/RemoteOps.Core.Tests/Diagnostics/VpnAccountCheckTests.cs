using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Diagnostics.Checks;
using RemoteOps.Core.Vpn;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    public sealed class VpnAccountCheckTests
    {
        private static VpnUser User(bool? expired, bool? mustChange, DateTimeOffset? expires = null) => new VpnUser
        {
            UserName = "jsmith",
            Enabled = true,
            Groups = new[] { "SSLVPN_Users" },
            PasswordExpired = expired,
            PasswordExpires = expires,
            MustChangePassword = mustChange,
        };

        private static Task<RemoteAccessCheckResult> Run(VpnUser user) =>
            new VpnAccountCheck(new FakeVpnAccounts(user)).RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);

        [Fact]
        public async Task AnExpiredPasswordFailsWithTheDateAndTheCommandThatSetsANewOne()
        {
            RemoteAccessCheckResult result = await Run(User(true, null, new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero)));

            Assert.Equal(RemoteAccessCheckStatus.Failed, result.Status);
            Assert.Equal(RemoteAccessCause.PasswordExpired, result.Cause);
            Assert.Contains("the password has expired (on 2026-11-01 08:00 UTC)", result.Evidence, StringComparison.Ordinal);
            Assert.Contains("Set-RoVpnUser -UserName jsmith, giving the new password as a SecureString (Read-Host -AsSecureString) (with -Connection for Fake vpn.test)", result.NextStep, StringComparison.Ordinal);
            Assert.DoesNotContain("-ChangePasswordAtSignIn", result.NextStep, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AnExpiredPasswordWhereTheApplianceKeepsAChangeFlagAsksForAOneTimePassword()
        {
            RemoteAccessCheckResult result = await Run(User(true, false));

            Assert.Equal(RemoteAccessCause.PasswordExpired, result.Cause);
            Assert.Contains("Set-RoVpnUser -UserName jsmith -ChangePasswordAtSignIn, giving the new password as a SecureString", result.NextStep, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task TheNewPasswordStepSurvivesTheSecretRedactionOfTheDiagnosis(bool changeFlag)
        {
            var vpn = new FakeVpnAccounts(User(true, changeFlag ? false : (bool?)null));

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"), new[] { new VpnAccountCheck(vpn) }, CancellationToken.None);

            Assert.Equal(RemoteAccessCause.PasswordExpired, verdict.Cause);
            Assert.Contains("(Read-Host -AsSecureString)", verdict.NextStep, StringComparison.Ordinal);
            Assert.DoesNotContain("***", verdict.NextStep, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AChangeDemandedAtSignInWarnsAndNamesTheBrowserSignIn()
        {
            RemoteAccessCheckResult result = await Run(User(null, true));

            Assert.Equal(RemoteAccessCheckStatus.Warning, result.Status);
            Assert.Equal(RemoteAccessCause.PasswordExpired, result.Cause);
            Assert.Contains("must choose a new password at the next sign-in", result.Evidence, StringComparison.Ordinal);
            Assert.Contains("sign in once in a browser", result.NextStep, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(false, null, "the password does not expire")]
        [InlineData(null, false, "password expiry is not reported by Fake; no new password is demanded at sign-in")]
        public async Task AHealthyAccountPassesAndSaysWhatWasNotReported(bool? expired, bool? mustChange, string said)
        {
            RemoteAccessCheckResult result = await Run(User(expired, mustChange));

            Assert.Equal(RemoteAccessCheckStatus.Passed, result.Status);
            Assert.Contains(said, result.Evidence, StringComparison.Ordinal);
        }

        [Fact]
        public async Task APasswordValidUntilADayNamesTheDay()
        {
            RemoteAccessCheckResult result = await Run(User(false, null, new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero)));

            Assert.Equal(RemoteAccessCheckStatus.Passed, result.Status);
            Assert.Contains("the password is valid until 2027-03-01 00:00 UTC", result.Evidence, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ADisabledAccountIsNamedBeforeItsPassword()
        {
            VpnUser user = User(true, true);
            user.Enabled = false;

            Assert.Equal(RemoteAccessCause.AccountDisabled, (await Run(user)).Cause);
        }
    }
}
