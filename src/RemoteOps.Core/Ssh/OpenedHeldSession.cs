namespace RemoteOps.Core.Ssh
{
    /// <summary>A held session just opened, with the host-key verdict of its first connect.</summary>
    public sealed class OpenedHeldSession
    {
        internal OpenedHeldSession(HeldSshSession session, HostKeyVerdict verdict)
        {
            Session = session;
            HostKeyVerdict = verdict;
        }

        /// <summary>The session.</summary>
        public HeldSshSession Session { get; }

        /// <summary>Why the host key was trusted.</summary>
        public HostKeyVerdict HostKeyVerdict { get; }
    }
}
