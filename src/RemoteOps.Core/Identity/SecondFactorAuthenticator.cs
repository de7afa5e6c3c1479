using System;

namespace RemoteOps.Core.Identity
{
    /// <summary>A token or authenticator device assigned to a user.</summary>
    public sealed class SecondFactorAuthenticator
    {
        /// <summary>What it is, in the service's words ("SecurID hardware token", "Authenticate app").</summary>
        public string Kind { get; set; }

        /// <summary>The token serial number or device name; never a code or seed.</summary>
        public string Identifier { get; set; }

        /// <summary>False when the token or device is disabled.</summary>
        public bool Enabled { get; set; }

        /// <summary>When the token expires, or null when it does not or the service does not say.</summary>
        public DateTimeOffset? ExpiresOn { get; set; }
    }
}
