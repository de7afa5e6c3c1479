using System.Collections.Generic;

namespace RemoteOps.Core.Identity
{
    /// <summary>One person's account on a second-factor service, in vendor-neutral terms.</summary>
    public sealed class SecondFactorUser
    {
        /// <summary>The name the user was looked up by.</summary>
        public string UserName { get; set; }

        /// <summary>The service's own identifier for the user (for the vendor's console), or null.</summary>
        public string Id { get; set; }

        /// <summary>False when the account is disabled on the second-factor service.</summary>
        public bool Enabled { get; set; }

        /// <summary>True when the service has locked the user's token or methods (too many wrong codes).</summary>
        public bool Locked { get; set; }

        /// <summary>Which methods are locked, in the service's words ("TOKEN", "SMS"), empty when none.</summary>
        public IReadOnlyList<string> LockedMethods { get; set; } = new List<string>();

        /// <summary>The tokens and devices assigned to the user, empty when none.</summary>
        public IReadOnlyList<SecondFactorAuthenticator> Authenticators { get; set; } = new List<SecondFactorAuthenticator>();
    }
}
