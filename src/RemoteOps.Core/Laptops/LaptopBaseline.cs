using System.Collections.Generic;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// What a compliant laptop looks like, as users write it in a baseline file. A requirement
    /// left null is not checked; an empty package list checks nothing.
    /// </summary>
    public sealed class LaptopBaseline
    {
        /// <summary>Full-disk encryption of the root and swap devices.</summary>
        public DiskEncryptionRequirement DiskEncryption { get; set; }

        /// <summary>USB mass storage blocked, with approved exceptions.</summary>
        public UsbStorageRequirement UsbStorage { get; set; }

        /// <summary>The VPN profile every laptop carries.</summary>
        public VpnProfileRequirement VpnProfile { get; set; }

        /// <summary>An active host firewall that denies inbound traffic but management SSH.</summary>
        public HostFirewallRequirement HostFirewall { get; set; }

        /// <summary>Automatic security updates on, when true.</summary>
        public bool? AutomaticSecurityUpdates { get; set; }

        /// <summary>SSH server hardening.</summary>
        public SshHardeningRequirement SshHardening { get; set; }

        /// <summary>The screen locks when idle.</summary>
        public ScreenLockRequirement ScreenLock { get; set; }

        /// <summary>Debian package names that must be installed.</summary>
        public IList<string> RequiredPackages { get; set; } = new List<string>();

        /// <summary>Debian package names that must not be installed.</summary>
        public IList<string> ForbiddenPackages { get; set; } = new List<string>();
    }
}
