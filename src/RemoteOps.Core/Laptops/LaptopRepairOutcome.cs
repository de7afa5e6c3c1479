namespace RemoteOps.Core.Laptops
{
    /// <summary>What Repair-RoLaptopCompliance did about one check on one laptop.</summary>
    public enum LaptopRepairOutcome
    {
        /// <summary>The laptop already met the check (or it does not apply); nothing was changed.</summary>
        NoChange,

        /// <summary>A repair was planned but not made (-WhatIf, or declined at -Confirm).</summary>
        Planned,

        /// <summary>The repair was made and the laptop, checked again, now meets the check.</summary>
        Repaired,

        /// <summary>The laptop fails the check and RemoteOps cannot repair it (a disk to encrypt needs a reimage).</summary>
        NotRepairable,

        /// <summary>The repair failed, or the laptop still fails the check when checked again.</summary>
        Failed,

        /// <summary>Not attempted: an earlier repair on the laptop failed, or the run was stopped.</summary>
        NotRun,

        /// <summary>The laptop could not be checked (unreachable, no sudo); nothing was changed.</summary>
        NotChecked,
    }
}
