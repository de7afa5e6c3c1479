using System;

namespace RemoteOps.Core.Hosts
{
    /// <summary>A held connection was used after its owner closed it.</summary>
    public sealed class HeldConnectionClosedException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public HeldConnectionClosedException(string message)
            : base(message)
        {
        }
    }
}
