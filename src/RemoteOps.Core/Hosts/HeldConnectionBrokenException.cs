using System;

namespace RemoteOps.Core.Hosts
{
    /// <summary>
    /// A held connection could not be reconnected. The failure that broke it is the inner
    /// exception; every later use throws this again rather than trying a connection of another kind.
    /// </summary>
    public sealed class HeldConnectionBrokenException : Exception
    {
        /// <summary>Creates the exception around the failure that broke the connection.</summary>
        public HeldConnectionBrokenException(Exception breakage, bool justBroken)
            : base(breakage?.Message, breakage)
        {
            JustBroken = justBroken;
        }

        /// <summary>True for the use whose reconnect failed; false for later uses of the broken connection.</summary>
        public bool JustBroken { get; }
    }
}
