using System.Collections.Generic;

namespace RemoteOps.Core.Vpn
{
    /// <summary>A user as a configuration backup describes it. A backup holds no password.</summary>
    public sealed class BackupUser
    {
        /// <summary>The sign-in name.</summary>
        public string UserName { get; set; }

        /// <summary>The full name, where the backup has one.</summary>
        public string FullName { get; set; }

        /// <summary>False for a user the backup shows disabled or locked.</summary>
        public bool Enabled { get; set; } = true;

        /// <summary>The user's groups (never null; empty where users have no groups of their own).</summary>
        public IReadOnlyList<string> Groups { get; set; } = new string[0];

        /// <summary>
        /// Why the user cannot be created from the backup (for example a FortiGate user that signs
        /// in against LDAP), or null when it can. Such a user is still kept by -Prune and its
        /// enabled state and groups are still restored when it exists.
        /// </summary>
        public string CannotCreateBecause { get; set; }
    }
}
