using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn
{
    /// <summary>What restoring one user from a backup did (or, with -WhatIf, would do).</summary>
    public sealed class VpnUserRestore
    {
        /// <summary>The user.</summary>
        public string UserName { get; set; }

        /// <summary>The appliance restored to.</summary>
        public string Appliance { get; set; }

        /// <summary>Created, Updated, Removed, NoChange or Failed.</summary>
        public string Outcome { get; set; }

        /// <summary>Each change made, in words.</summary>
        public string[] Changes { get; set; } = new string[0];

        /// <summary>True when reading the user back after the restore showed it as the backup has it (or gone, after -Prune).</summary>
        public bool Verified { get; set; }

        /// <summary>
        /// True for a user created without a password anyone knows (the backup holds none and
        /// neither -Password nor -GeneratePassword was given): it was created disabled and needs a
        /// password before it can sign in.
        /// </summary>
        public bool NeedsPassword { get; set; }

        /// <summary>The password generated for a created user (-GeneratePassword), else null.</summary>
        public System.Security.SecureString InitialPassword { get; set; }

        /// <summary>What the admin should know about this user (for example how its password was set), or why it failed.</summary>
        public string Message { get; set; }

        /// <summary>How it failed, or null.</summary>
        public ApplianceErrorKind? ErrorKind { get; set; }

        /// <summary>True unless the restore of this user failed.</summary>
        public bool Succeeded => Outcome != VpnUserOutcome.Failed;
    }
}
