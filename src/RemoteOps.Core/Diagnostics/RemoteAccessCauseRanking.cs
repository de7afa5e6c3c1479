using System;
using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Diagnostics
{
    /// <summary>
    /// Picks the most likely cause out of every check's result, the same way each time. A cause
    /// that explains the others wins: an appliance that does not answer explains a failed sign-in,
    /// a disabled account explains a refused password, so a refused password is blamed on the
    /// password only when nothing else explains it. Failures come before warnings, warnings before
    /// checks that could not run; equal causes go to the check that was listed first.
    /// </summary>
    public static class RemoteAccessCauseRanking
    {
        /// <summary>Most likely first.</summary>
        public static readonly IReadOnlyList<RemoteAccessCause> Order = new[]
        {
            RemoteAccessCause.ApplianceDown,
            RemoteAccessCause.GatewayNameNotResolved,
            RemoteAccessCause.GatewayUnreachable,
            RemoteAccessCause.CertificateInvalid,
            RemoteAccessCause.AccountNotFound,
            RemoteAccessCause.AccountDisabled,
            RemoteAccessCause.PasswordExpired,
            RemoteAccessCause.NoAccessMapping,
            RemoteAccessCause.SecondFactorUserNotFound,
            RemoteAccessCause.SecondFactorDisabled,
            RemoteAccessCause.TokenLocked,
            RemoteAccessCause.NoTokenAssigned,
            RemoteAccessCause.LicenceFull,
            RemoteAccessCause.TooManySessions,
            RemoteAccessCause.WrongPassword,
            RemoteAccessCause.LaptopNonCompliant,
            RemoteAccessCause.ClusterDegraded,
            RemoteAccessCause.CertificateExpiring,
            RemoteAccessCause.CheckNotMade,
        };

        /// <summary>
        /// The result that names the verdict, or null when every check passed or was not available.
        /// </summary>
        public static RemoteAccessCheckResult MostLikely(IReadOnlyList<RemoteAccessCheckResult> results)
        {
            if (results == null)
            {
                throw new ArgumentNullException(nameof(results));
            }

            return results
                .Select((result, index) => new { result, index })
                .Where(r => r.result.Status == RemoteAccessCheckStatus.Failed || r.result.Status == RemoteAccessCheckStatus.Warning || r.result.Status == RemoteAccessCheckStatus.CouldNotRun)
                .OrderBy(r => StatusRank(r.result.Status, r.result.Cause))
                .ThenBy(r => CauseRank(r.result.Cause))
                .ThenBy(r => r.index)
                .Select(r => r.result)
                .FirstOrDefault();
        }

        /// <summary>The position of a cause in <see cref="Order"/>.</summary>
        public static int CauseRank(RemoteAccessCause cause)
        {
            for (int i = 0; i < Order.Count; i++)
            {
                if (Order[i] == cause)
                {
                    return i;
                }
            }

            return Order.Count;
        }

        // An appliance that does not answer is a failure even when it surfaced as a check that could
        // not run: it is the one thing that stops everybody.
        private static int StatusRank(RemoteAccessCheckStatus status, RemoteAccessCause cause)
        {
            if (status == RemoteAccessCheckStatus.Failed || cause == RemoteAccessCause.ApplianceDown)
            {
                return 0;
            }

            return status == RemoteAccessCheckStatus.Warning ? 1 : 2;
        }
    }
}
