namespace RemoteOps.Core.Ssh
{
    /// <summary>Whether a command that was timed out or stopped was also ended on the host.</summary>
    public sealed class RemoteStopOutcome
    {
        /// <summary>Creates an outcome.</summary>
        public RemoteStopOutcome(bool? stopped, string message)
        {
            Stopped = stopped;
            Message = message;
        }

        /// <summary>True when the command's processes are gone from the host; false when they still run; null when it could not be told.</summary>
        public bool? Stopped { get; }

        /// <summary>What was done, in a sentence.</summary>
        public string Message { get; }
    }
}
