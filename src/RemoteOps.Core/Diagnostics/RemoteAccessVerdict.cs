using System;
using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Diagnostics
{
    /// <summary>
    /// The answer to "why can't this person sign in?": the most likely cause in plain words, the
    /// next step, and every check with its evidence.
    /// </summary>
    public sealed class RemoteAccessVerdict
    {
        /// <summary>The user diagnosed.</summary>
        public string UserName { get; set; }

        /// <summary>The most likely cause, or None when nothing was found.</summary>
        public RemoteAccessCause Cause { get; set; }

        /// <summary>True when every check that could run passed (warnings aside) and none failed to run.</summary>
        public bool CanSignIn { get; set; }

        /// <summary>The verdict in one plain sentence.</summary>
        public string Summary { get; set; }

        /// <summary>The exact next step for the help desk.</summary>
        public string NextStep { get; set; }

        /// <summary>Every check, in the order they were listed.</summary>
        public RemoteAccessCheckResult[] Checks { get; set; } = new RemoteAccessCheckResult[0];

        /// <summary>How long the whole diagnosis took.</summary>
        public TimeSpan Duration { get; set; }

        /// <summary>Counts per status, for the one-screen view ("6 passed, 1 failed, 1 not available").</summary>
        public string CheckCounts => string.Join(", ", Checks
            .GroupBy(c => c.Status)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {Words(g.Key)}"));

        /// <summary>Builds the verdict from the results of every check.</summary>
        public static RemoteAccessVerdict From(string userName, IReadOnlyList<RemoteAccessCheckResult> results, TimeSpan duration)
        {
            if (results == null)
            {
                throw new ArgumentNullException(nameof(results));
            }

            RemoteAccessCheckResult blamed = RemoteAccessCauseRanking.MostLikely(results);
            var verdict = new RemoteAccessVerdict { UserName = userName, Checks = results.ToArray(), Duration = duration };
            if (blamed == null)
            {
                verdict.Cause = RemoteAccessCause.None;
                verdict.CanSignIn = true;
                verdict.Summary = results.Any(r => r.Check == "SignIn" && r.Status == RemoteAccessCheckStatus.Passed)
                    ? $"No problem found: {userName} signed in, and every check that could run passed."
                    : $"No problem found: every check that could run passed for {userName}.";
                verdict.NextStep = "Ask the user for the exact error message and the time of the attempt, and check the laptop's network and VPN client.";
                return verdict;
            }

            verdict.Cause = blamed.Status == RemoteAccessCheckStatus.CouldNotRun && blamed.Cause == RemoteAccessCause.None ? RemoteAccessCause.CheckNotMade : blamed.Cause;
            verdict.CanSignIn = blamed.Status == RemoteAccessCheckStatus.Warning;
            verdict.Summary = RemoteAccessCauseText.Summary(verdict.Cause, blamed);
            verdict.NextStep = blamed.NextStep;
            return verdict;
        }

        private static string Words(RemoteAccessCheckStatus status)
        {
            switch (status)
            {
                case RemoteAccessCheckStatus.CouldNotRun: return "could not run";
                case RemoteAccessCheckStatus.NotAvailable: return "not available";
                case RemoteAccessCheckStatus.Warning: return "warning";
                default: return status.ToString().ToLowerInvariant();
            }
        }
    }
}
