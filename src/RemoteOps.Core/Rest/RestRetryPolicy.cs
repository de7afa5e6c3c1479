using System;

namespace RemoteOps.Core.Rest
{
    /// <summary>How busy or flaky appliances are retried. Bounded in attempts and in time.</summary>
    public sealed class RestRetryPolicy
    {
        /// <summary>Attempts in all, the first included.</summary>
        public int MaxAttempts { get; set; } = 8;

        /// <summary>The first back-off; it doubles each time, with jitter.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

        /// <summary>No single wait is longer, whatever Retry-After says.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        internal TimeSpan Backoff(int attempt, Random random)
        {
            double ms = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
            ms = Math.Min(ms, MaxDelay.TotalMilliseconds);
            return TimeSpan.FromMilliseconds(ms / 2 + random.NextDouble() * ms / 2);
        }
    }
}
