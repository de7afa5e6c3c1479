using RemoteOps.Core.Errors;
namespace RemoteOps.Core.Vpn
{
    /// <summary>What a user operation did (or, with -WhatIf, would do) on one appliance.</summary>
    public sealed class VpnUserChange
    {
        /// <summary>The user.</summary>
        public string UserName { get; set; }

        /// <summary>The appliance.</summary>
        public string Appliance { get; set; }

        /// <summary>Created, Updated, Removed, NoChange, Planned or Failed.</summary>
        public string Outcome { get; set; }

        /// <summary>
        /// Each step applied, in words ("create", "disable", "groups: staff -> staff,vpn-eu"), in
        /// order; a step that reading the user back did not confirm is left out and named in
        /// Message. For Planned, the steps that would be made.
        /// </summary>
        public string[] Changes { get; set; } = new string[0];

        /// <summary>The input row (1-based) this change came from, when it came from the pipeline.</summary>
        public int? Row { get; set; }

        /// <summary>Why it failed, or null.</summary>
        public string Message { get; set; }

        /// <summary>How it failed, or null.</summary>
        public ApplianceErrorKind? ErrorKind { get; set; }

        /// <summary>True when this operation created the user (even if a later step failed).</summary>
        public bool Created { get; set; }

        /// <summary>True unless the operation failed.</summary>
        public bool Succeeded => Outcome != VpnUserOutcome.Failed;
    }

    /// <summary>The outcomes a user operation reports.</summary>
    public static class VpnUserOutcome
    {
        /// <summary>The user did not exist and was created.</summary>
        public const string Created = "Created";

        /// <summary>The user existed and was changed.</summary>
        public const string Updated = "Updated";

        /// <summary>The user was removed.</summary>
        public const string Removed = "Removed";

        /// <summary>The user was already as wanted.</summary>
        public const string NoChange = "NoChange";

        /// <summary>Changes were planned but not made: -WhatIf, or the confirmation was declined.</summary>
        public const string Planned = "Planned";

        /// <summary>The operation failed; see Message.</summary>
        public const string Failed = "Failed";
    }
}
