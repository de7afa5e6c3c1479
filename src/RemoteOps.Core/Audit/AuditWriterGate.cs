using System;
using System.Collections.Concurrent;

namespace RemoteOps.Core.Audit
{
    /// <summary>
    /// One gate per log file for the writers of this process. The file lock alone is polled with
    /// a random backoff, which is not fair: with many threads of one cmdlet appending at once
    /// (user onboarding runs 16 in parallel) an unlucky one could miss the lock until its
    /// deadline. Threads of this process queue on the gate instead, so the file lock is only
    /// contended by other processes.
    /// </summary>
    internal static class AuditWriterGate
    {
        private static readonly ConcurrentDictionary<string, object> Gates = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);

        /// <summary>The gate of the log at <paramref name="fullPath"/>.</summary>
        public static object For(string fullPath) => Gates.GetOrAdd(fullPath, _ => new object());
    }
}
