namespace RemoteOps.Core.Ssh
{
    /// <summary>What a remote command left behind.</summary>
    public sealed class SshCommandOutput
    {
        /// <summary>Creates an outcome (drivers' test fakes build these too).</summary>
        public SshCommandOutput(int? exitCode, string standardOutput, string standardError, bool timedOut)
            : this(exitCode, standardOutput, standardError, timedOut, cancelled: false, remoteStop: null)
        {
        }

        /// <summary>Creates the outcome of a command that may have been stopped, and whether it was ended on the host.</summary>
        public SshCommandOutput(int? exitCode, string standardOutput, string standardError, bool timedOut, bool cancelled, RemoteStopOutcome remoteStop)
        {
            Cancelled = cancelled;
            RemoteStop = remoteStop;
            ExitCode = exitCode;
            StandardOutput = standardOutput ?? string.Empty;
            StandardError = standardError ?? string.Empty;
            TimedOut = timedOut;
        }

        /// <summary>The exit status, or null when the command was killed by a signal or timed out.</summary>
        public int? ExitCode { get; }

        /// <summary>Everything written to standard output.</summary>
        public string StandardOutput { get; }

        /// <summary>Everything written to standard error.</summary>
        public string StandardError { get; }

        /// <summary>True when the command ran past its time limit and was stopped.</summary>
        public bool TimedOut { get; }

        /// <summary>True when the caller stopped the command before it finished.</summary>
        public bool Cancelled { get; }

        /// <summary>For a timed-out or stopped command run by <see cref="SshSession.RunStoppableAsync"/>: whether it was ended on the host; otherwise null.</summary>
        public RemoteStopOutcome RemoteStop { get; }
    }
}
