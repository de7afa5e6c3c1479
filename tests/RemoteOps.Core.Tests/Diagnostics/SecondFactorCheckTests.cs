using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Diagnostics.Checks;
using RemoteOps.Core.Identity;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    public sealed class SecondFactorCheckTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        private static SecondFactorAuthenticator Token(bool enabled = true, DateTimeOffset? expires = null) =>
            new SecondFactorAuthenticator { Kind = "SecurID hardware token", Identifier = "000123456789", Enabled = enabled, ExpiresOn = expires };

        private static async Task<RemoteAccessVerdict> Diagnose(SecondFactorUser user)
        {
            var directory = new FakeSecondFactorDirectory();
            if (user != null)
            {
                directory.Users[user.UserName] = user;
            }

            var request = new RemoteAccessRequest("jsmith") { Now = () => Now };
            return await RemoteAccessDiagnosis.RunAsync(request, new IRemoteAccessCheck[] { new SecondFactorCheck(directory) }, CancellationToken.None);
        }

        [Fact]
        public async Task ALockedTokenIsTheVerdictWithTheUnlockCommand()
        {
            RemoteAccessVerdict verdict = await Diagnose(new SecondFactorUser
            {
                UserName = "jsmith", Id = "u-42", Enabled = true, Locked = true, LockedMethods = new[] { "TOKEN" }, Authenticators = new[] { Token() },
            });

            Assert.Equal(RemoteAccessCause.TokenLocked, verdict.Cause);
            Assert.Contains("token is locked", verdict.Summary, StringComparison.Ordinal);
            Assert.EndsWith("Unlock-RoSecurIdUser jsmith", verdict.NextStep, StringComparison.Ordinal);
            Assert.Contains("TOKEN locked", verdict.Checks[0].Evidence, StringComparison.Ordinal);
        }

        [Fact]
        public async Task NoTokenAssignedIsTheVerdict()
        {
            RemoteAccessVerdict verdict = await Diagnose(new SecondFactorUser { UserName = "jsmith", Enabled = true });

            Assert.Equal(RemoteAccessCause.NoTokenAssigned, verdict.Cause);
            Assert.Contains("no token or authenticator assigned", verdict.Checks[0].Evidence, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(false, 30)]
        [InlineData(true, -1)]
        public async Task OnlyADisabledOrExpiredTokenCountsAsNoneAssigned(bool enabled, int expiresInDays)
        {
            RemoteAccessVerdict verdict = await Diagnose(new SecondFactorUser
            {
                UserName = "jsmith", Enabled = true, Authenticators = new[] { Token(enabled, Now.AddDays(expiresInDays)) },
            });

            Assert.Equal(RemoteAccessCause.NoTokenAssigned, verdict.Cause);
            Assert.Contains("000123456789", verdict.Checks[0].Evidence, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ADisabledUserIsTheVerdict()
        {
            RemoteAccessVerdict verdict = await Diagnose(new SecondFactorUser { UserName = "jsmith", Enabled = false, Authenticators = new[] { Token() } });

            Assert.Equal(RemoteAccessCause.SecondFactorDisabled, verdict.Cause);
        }

        [Fact]
        public async Task AnUnknownUserIsTheVerdict()
        {
            RemoteAccessVerdict verdict = await Diagnose(null);

            Assert.Equal(RemoteAccessCause.SecondFactorUserNotFound, verdict.Cause);
            Assert.Equal(RemoteAccessCheckStatus.Failed, verdict.Checks[0].Status);
        }

        [Fact]
        public async Task AnEnabledUnlockedUserWithAValidTokenPasses()
        {
            RemoteAccessVerdict verdict = await Diagnose(new SecondFactorUser
            {
                UserName = "jsmith", Enabled = true, Authenticators = new List<SecondFactorAuthenticator> { Token(expires: Now.AddDays(300)), Token(enabled: false) },
            });

            Assert.Equal(RemoteAccessCause.None, verdict.Cause);
            Assert.True(verdict.CanSignIn);
            Assert.Equal(RemoteAccessCheckStatus.Passed, verdict.Checks[0].Status);
            Assert.Equal("SecondFactor", verdict.Checks[0].Check);
            Assert.Equal("FakeSecondFactor mfa.test", verdict.Checks[0].Target);
        }

        [Fact]
        public async Task ALockedTokenExplainsARefusedSignIn()
        {
            var directory = new FakeSecondFactorDirectory();
            directory.Users["jsmith"] = new SecondFactorUser { UserName = "jsmith", Enabled = true, Locked = true, Authenticators = new[] { Token() } };
            var checks = new IRemoteAccessCheck[]
            {
                ScriptedCheck.Returning("SignIn", RemoteAccessCheckStatus.Failed, RemoteAccessCause.WrongPassword),
                new SecondFactorCheck(directory),
            };

            RemoteAccessVerdict verdict = await RemoteAccessDiagnosis.RunAsync(new RemoteAccessRequest("jsmith"), checks, CancellationToken.None);

            Assert.Equal(RemoteAccessCause.TokenLocked, verdict.Cause);
            Assert.Equal(1, directory.Lookups);
        }
    }
}
