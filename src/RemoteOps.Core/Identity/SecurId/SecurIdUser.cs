using System;
using System.Collections.Generic;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>A SecurID user as the help desk sees it: status, what is locked, and the assigned tokens and devices.</summary>
    public sealed class SecurIdUser
    {
        /// <summary>The e-mail address the user was looked up by.</summary>
        public string UserName { get; set; }

        /// <summary>The service's id of the user (a UUID).</summary>
        public string Id { get; set; }

        /// <summary>The SecurID service (host of the administration API).</summary>
        public string Appliance { get; set; }

        /// <summary>userStatus: Enabled or Disabled.</summary>
        public string Status { get; set; }

        /// <summary>True when <see cref="Status"/> is Enabled.</summary>
        public bool Enabled => string.Equals(Status, "Enabled", StringComparison.OrdinalIgnoreCase);

        /// <summary>True when any method is locked.</summary>
        public bool Locked => LockedMethods.Count > 0;

        /// <summary>The locked methods (TOKEN, SMS, VOICE, FINGERPRINT, APPROVE), empty when none.</summary>
        public IReadOnlyList<string> LockedMethods { get; set; } = new List<string>();

        /// <summary>The tokens and devices assigned to the user, empty when none.</summary>
        public IReadOnlyList<SecondFactorAuthenticator> Authenticators { get; set; } = new List<SecondFactorAuthenticator>();

        /// <summary>First name from the identity source.</summary>
        public string FirstName { get; set; }

        /// <summary>Last name from the identity source.</summary>
        public string LastName { get; set; }

        /// <summary>The identity source the user is synchronised from.</summary>
        public string IdentitySource { get; set; }

        /// <summary>emergencyAccessStatus (Enabled or Disabled).</summary>
        public string EmergencyAccessStatus { get; set; }

        /// <summary>Month of the last authentication as the service gives it ("Jun 2025"), or null.</summary>
        public string LastAuthenticated { get; set; }

        /// <summary>The vendor-neutral view Test-RoRemoteAccess reads.</summary>
        public SecondFactorUser ToSecondFactorUser() => new SecondFactorUser
        {
            UserName = UserName,
            Id = Id,
            Enabled = Enabled,
            Locked = Locked,
            LockedMethods = LockedMethods,
            Authenticators = Authenticators,
        };
    }
}
