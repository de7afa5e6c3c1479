using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>The outcome of opening a held session to one host: the session, or why there is none.</summary>
    public sealed class SshSessionOpenResult : HostResult
    {
        /// <summary>The remote account.</summary>
        public string UserName { get; set; }

        /// <summary>The session opened, or null when the host failed.</summary>
        public HeldSshSession Session { get; set; }
    }
}
