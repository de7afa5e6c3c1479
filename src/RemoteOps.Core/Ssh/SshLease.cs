using System;

namespace RemoteOps.Core.Ssh
{
    /// <summary>A connection lent to one piece of work; disposing it closes a fresh connection or hands a held one back.</summary>
    public sealed class SshLease<TSession> : IDisposable
        where TSession : class, IDisposable
    {
        private readonly IDisposable release;

        internal SshLease(TSession session, HostKeyVerdict verdict, bool reconnected, IDisposable release)
        {
            Session = session;
            HostKeyVerdict = verdict;
            Reconnected = reconnected;
            this.release = release;
        }

        /// <summary>The connection.</summary>
        public TSession Session { get; }

        /// <summary>Why the host key was trusted when this use opened the connection; null when it was open already.</summary>
        public HostKeyVerdict HostKeyVerdict { get; }

        /// <summary>True when a held connection had been dropped by the far end and was opened again for this use.</summary>
        public bool Reconnected { get; }

        /// <inheritdoc />
        public void Dispose()
        {
            Session.Dispose();
            release?.Dispose();
        }
    }
}
