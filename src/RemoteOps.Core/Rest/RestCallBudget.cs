using System;
using System.Threading;

namespace RemoteOps.Core.Rest
{
    /// <summary>
    /// A tighter retry and time-out policy for the REST requests made inside one scope, whatever
    /// connection they go through. A diagnosis must say "the appliance is down" in seconds, not
    /// wait out the retries that let a bulk change ride over a busy appliance; requests outside
    /// the scope (every other cmdlet) keep their connection's own policy. The scope flows with
    /// the async calls started inside it, and only there.
    /// </summary>
    public sealed class RestCallBudget
    {
        private static readonly AsyncLocal<RestCallBudget> Ambient = new AsyncLocal<RestCallBudget>();

        private RestCallBudget(int maxAttempts, TimeSpan requestTimeout)
        {
            Retry = new RestRetryPolicy { MaxAttempts = maxAttempts };
            RequestTimeout = requestTimeout;
        }

        /// <summary>The retries allowed inside the scope (attempts in all, the first included).</summary>
        public RestRetryPolicy Retry { get; }

        /// <summary>The time one request may take inside the scope, connecting included.</summary>
        public TimeSpan RequestTimeout { get; }

        /// <summary>The budget in force for the calling flow, or null outside every scope.</summary>
        internal static RestCallBudget Current => Ambient.Value;

        /// <summary>
        /// Until the returned scope is disposed, REST requests started from here make at most
        /// <paramref name="maxAttempts"/> attempts of at most <paramref name="requestTimeout"/> each.
        /// </summary>
        public static IDisposable Limit(int maxAttempts, TimeSpan requestTimeout)
        {
            if (maxAttempts < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "At least one attempt is needed.");
            }

            if (requestTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(requestTimeout), requestTimeout, "The time-out must be positive.");
            }

            return new Scope(new RestCallBudget(maxAttempts, requestTimeout));
        }

        private sealed class Scope : IDisposable
        {
            private readonly RestCallBudget previous;
            private bool disposed;

            internal Scope(RestCallBudget budget)
            {
                previous = Ambient.Value;
                Ambient.Value = budget;
            }

            public void Dispose()
            {
                if (!disposed)
                {
                    disposed = true;
                    Ambient.Value = previous;
                }
            }
        }
    }
}
