namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// What repairing one check does on one laptop: a description for -WhatIf and the audit log,
    /// and the script that does it, run as root. Scripts are idempotent (running one on a laptop
    /// that is already repaired changes nothing) and built only from validated baseline values.
    /// </summary>
    public sealed class LaptopRepairStep
    {
        /// <summary>Creates a step.</summary>
        public LaptopRepairStep(string description, string script)
        {
            Description = description;
            Script = script;
        }

        /// <summary>The step in words ("write /etc/modprobe.d/remoteops-usb-storage.conf: blacklist usb-storage").</summary>
        public string Description { get; }

        /// <summary>The POSIX shell script that makes the change; it exits non-zero when it fails.</summary>
        public string Script { get; }
    }
}
