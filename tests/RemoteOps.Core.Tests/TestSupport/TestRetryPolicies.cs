using System;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Tests.TestSupport
{
    /// <summary>Retry policies for tests against scripted appliances: the same attempts, almost no waiting.</summary>
    internal static class TestRetryPolicies
    {
        /// <summary>Four attempts with millisecond back-off.</summary>
        internal static RestRetryPolicy Fast => new RestRetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20) };
    }
}
