namespace RemoteOps.Core.Hosts
{
    /// <summary>How one host fared in a fan-out.</summary>
    public enum HostStatus
    {
        /// <summary>Connected, authenticated and the work finished without error.</summary>
        Succeeded,

        /// <summary>The work ran but failed (non-zero exit code, remote file error).</summary>
        Failed,

        /// <summary>No SSH connection could be made (refused, no route, connect timeout, name not found).</summary>
        Unreachable,

        /// <summary>The host refused every credential offered.</summary>
        AuthenticationFailed,

        /// <summary>The host presented a key other than the one known or pinned for it.</summary>
        HostKeyMismatch,

        /// <summary>The host's key is not known and the policy does not allow trusting it on first use.</summary>
        HostKeyUnknown,

        /// <summary>The work ran past its time limit and was stopped.</summary>
        TimedOut,

        /// <summary>The run was stopped (Ctrl+C, Stop-Job) before this host finished.</summary>
        Cancelled,
    }
}
