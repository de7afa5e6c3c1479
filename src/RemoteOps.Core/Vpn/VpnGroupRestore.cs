using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn
{
    /// <summary>What restoring one user group from a backup did (or, with -WhatIf, would do).</summary>
    public sealed class VpnGroupRestore
    {
        /// <summary>The group.</summary>
        public string GroupName { get; set; }

        /// <summary>The appliance restored to.</summary>
        public string Appliance { get; set; }

        /// <summary>Created or Failed.</summary>
        public string Outcome { get; set; }

        /// <summary>True when reading the groups back after the restore showed the group there.</summary>
        public bool Verified { get; set; }

        /// <summary>What the admin should know about this group, or why it failed.</summary>
        public string Message { get; set; }

        /// <summary>How it failed, or null.</summary>
        public ApplianceErrorKind? ErrorKind { get; set; }

        /// <summary>True unless the restore of this group failed.</summary>
        public bool Succeeded => Outcome != VpnUserOutcome.Failed;
    }
}
