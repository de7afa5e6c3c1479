using System;

namespace RemoteOps.Core.Hosts
{
    /// <summary>
    /// A host's work was stopped but had not ended when the stop stopped waiting for it: what it
    /// did (and whether it still runs on the host) is not known. A stop, so a cancellation.
    /// </summary>
    public sealed class WorkStillRunningException : OperationCanceledException
    {
        /// <summary>Creates the exception for work not ended <paramref name="waited"/> after the stop.</summary>
        public WorkStillRunningException(TimeSpan waited)
            : base($"The work was stopped but had not ended {waited.TotalSeconds:0.#} s later; what it did is not known, and it may still be running on the host.")
        {
            Waited = waited;
        }

        /// <summary>How long the stop waited.</summary>
        public TimeSpan Waited { get; }
    }
}
