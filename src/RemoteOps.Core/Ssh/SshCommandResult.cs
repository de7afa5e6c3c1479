using System;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>The outcome of one command on one host.</summary>
    public sealed class SshCommandResult : HostResult
    {
        /// <summary>The account the command ran as (before sudo).</summary>
        public string UserName { get; set; }

        /// <summary>The command's exit status, or null when it did not run to completion.</summary>
        public int? ExitCode { get; set; }

        /// <summary>Standard output.</summary>
        public string Output { get; set; } = string.Empty;

        /// <summary>Standard error.</summary>
        public string StandardError { get; set; } = string.Empty;

        /// <summary>
        /// For a command that timed out or was stopped: true when it was ended on the host (its
        /// processes are gone), false when it may still be running there (Message says why);
        /// null when the command was not stopped.
        /// </summary>
        public bool? RemoteStopped { get; set; }

        /// <summary>An empty result for work on <paramref name="target"/>, started now or at <paramref name="start"/>.</summary>
        public static SshCommandResult ForTarget(SshTarget target, DateTimeOffset? start = null) => new SshCommandResult
        {
            ComputerName = target.Host,
            Port = target.Port,
            UserName = target.UserName,
            StartTime = start ?? DateTimeOffset.UtcNow,
        };
    }
}
