using System;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>The outcome of one command on one host.</summary>
    public sealed class SshCommandResult
    {
        /// <summary>The host as the user named it.</summary>
        public string ComputerName { get; set; }

        /// <summary>The SSH port.</summary>
        public int Port { get; set; }

        /// <summary>The account the command ran as (before sudo).</summary>
        public string UserName { get; set; }

        /// <summary>How the host fared.</summary>
        public HostStatus Status { get; set; }

        /// <summary>The command's exit status, or null when it did not run to completion.</summary>
        public int? ExitCode { get; set; }

        /// <summary>Standard output.</summary>
        public string Output { get; set; } = string.Empty;

        /// <summary>Standard error.</summary>
        public string StandardError { get; set; } = string.Empty;

        /// <summary>When work on this host started.</summary>
        public DateTimeOffset StartTime { get; set; }

        /// <summary>Connect plus run time.</summary>
        public TimeSpan Duration { get; set; }

        /// <summary>Why the host did not succeed, or null.</summary>
        public string Message { get; set; }

        /// <summary>What to do about the failure, or null.</summary>
        public string Remedy { get; set; }

        /// <summary>The SHA-256 fingerprint of the host key the connection used or was refused for.</summary>
        public string HostKeyFingerprint { get; set; }

        /// <summary>True when this run trusted the host's key on first use (-HostKeyPolicy AcceptNew) and recorded it.</summary>
        public bool HostKeyRecorded { get; set; }

        /// <summary>True when the host succeeded.</summary>
        public bool Succeeded => Status == HostStatus.Succeeded;

        internal static SshCommandResult ForTarget(SshTarget target, DateTimeOffset start) => new SshCommandResult
        {
            ComputerName = target.Host,
            Port = target.Port,
            UserName = target.UserName,
            StartTime = start,
        };
    }
}
