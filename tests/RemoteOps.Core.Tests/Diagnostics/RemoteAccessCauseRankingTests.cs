using System.Collections.Generic;
using RemoteOps.Core.Diagnostics;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    public sealed class RemoteAccessCauseRankingTests
    {
        private static RemoteAccessCheckResult Result(string check, RemoteAccessCheckStatus status, RemoteAccessCause cause) =>
            new RemoteAccessCheckResult { Check = check, Target = "t", Status = status, Cause = cause };

        [Fact]
        public void EveryCauseButNoneHasARank()
        {
            foreach (RemoteAccessCause cause in System.Enum.GetValues<RemoteAccessCause>())
            {
                if (cause != RemoteAccessCause.None)
                {
                    Assert.Contains(cause, RemoteAccessCauseRanking.Order);
                }
            }

            Assert.Equal(RemoteAccessCauseRanking.Order.Count, new HashSet<RemoteAccessCause>(RemoteAccessCauseRanking.Order).Count);
        }

        [Fact]
        public void ADisabledAccountExplainsARefusedPassword()
        {
            var results = new[]
            {
                Result("SignIn", RemoteAccessCheckStatus.Failed, RemoteAccessCause.WrongPassword),
                Result("VpnAccount", RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountDisabled),
            };

            Assert.Equal("VpnAccount", RemoteAccessCauseRanking.MostLikely(results).Check);
        }

        [Fact]
        public void AnExpiredPasswordOrMissingAccessExplainsARefusedSignIn()
        {
            Assert.Equal(RemoteAccessCause.PasswordExpired, RemoteAccessCauseRanking.MostLikely(new[]
            {
                Result("SignIn", RemoteAccessCheckStatus.Failed, RemoteAccessCause.WrongPassword),
                Result("VpnAccess", RemoteAccessCheckStatus.Failed, RemoteAccessCause.NoAccessMapping),
                Result("VpnAccount", RemoteAccessCheckStatus.Failed, RemoteAccessCause.PasswordExpired),
            }).Cause);
            Assert.Equal(RemoteAccessCause.NoAccessMapping, RemoteAccessCauseRanking.MostLikely(new[]
            {
                Result("SignIn", RemoteAccessCheckStatus.Failed, RemoteAccessCause.WrongPassword),
                Result("VpnAccess", RemoteAccessCheckStatus.Failed, RemoteAccessCause.NoAccessMapping),
            }).Cause);
        }

        [Fact]
        public void ALockedTokenOrFullLicenceExplainsARefusedSignInBeforeThePassword()
        {
            Assert.Equal(RemoteAccessCause.TokenLocked, RemoteAccessCauseRanking.MostLikely(new[]
            {
                Result("SignIn", RemoteAccessCheckStatus.Failed, RemoteAccessCause.WrongPassword),
                Result("SecondFactor", RemoteAccessCheckStatus.Failed, RemoteAccessCause.TokenLocked),
            }).Cause);
            Assert.Equal(RemoteAccessCause.TooManySessions, RemoteAccessCauseRanking.MostLikely(new[]
            {
                Result("SignIn", RemoteAccessCheckStatus.Failed, RemoteAccessCause.WrongPassword),
                Result("Sessions", RemoteAccessCheckStatus.Failed, RemoteAccessCause.TooManySessions),
            }).Cause);
        }

        [Fact]
        public void AnApplianceThatDoesNotAnswerWinsEvenAsACheckThatCouldNotRun()
        {
            var results = new[]
            {
                Result("VpnAccount", RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountNotFound),
                Result("Sessions", RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.ApplianceDown),
            };

            Assert.Equal(RemoteAccessCause.ApplianceDown, RemoteAccessCauseRanking.MostLikely(results).Cause);
        }

        [Fact]
        public void AFailureComesBeforeAWarningAndAWarningBeforeACheckThatCouldNotRun()
        {
            var warning = Result("Gateway", RemoteAccessCheckStatus.Warning, RemoteAccessCause.CertificateExpiring);
            var notRun = Result("SecondFactor", RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None);
            var failure = Result("Sessions", RemoteAccessCheckStatus.Failed, RemoteAccessCause.TooManySessions);

            Assert.Same(failure, RemoteAccessCauseRanking.MostLikely(new[] { notRun, warning, failure }));
            Assert.Same(warning, RemoteAccessCauseRanking.MostLikely(new[] { notRun, warning }));
            Assert.Same(notRun, RemoteAccessCauseRanking.MostLikely(new[] { notRun, Result("X", RemoteAccessCheckStatus.Passed, RemoteAccessCause.None) }));
        }

        [Fact]
        public void EqualCausesGoToTheCheckListedFirst()
        {
            var first = Result("VpnAccount", RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountDisabled);
            var second = Result("VpnAccount", RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountDisabled);

            Assert.Same(first, RemoteAccessCauseRanking.MostLikely(new[] { first, second }));
            Assert.Same(second, RemoteAccessCauseRanking.MostLikely(new[] { second, first }));
        }

        [Fact]
        public void PassedAndNotAvailableChecksNameNoCause()
        {
            Assert.Null(RemoteAccessCauseRanking.MostLikely(new[]
            {
                Result("VpnAccount", RemoteAccessCheckStatus.Passed, RemoteAccessCause.None),
                Result("LaptopCompliance", RemoteAccessCheckStatus.NotAvailable, RemoteAccessCause.None),
            }));
        }
    }
}
