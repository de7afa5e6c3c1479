using System;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// What a connected device can be asked to do. A connection carries the capabilities of its
    /// driver, so one FortiGate connection serves the VPN cmdlets and the firewall cmdlets alike.
    /// </summary>
    [Flags]
    public enum ApplianceCapabilities
    {
        /// <summary>Nothing beyond connecting.</summary>
        None = 0,

        /// <summary>Local VPN user accounts (Get/New/Set/Remove-RoVpnUser).</summary>
        VpnUsers = 1,

        /// <summary>Active VPN sessions (Get/Disconnect-RoVpnSession).</summary>
        VpnSessions = 2,

        /// <summary>Sessions against the licensed or configured ceiling (Get-RoVpnCapacity).</summary>
        VpnCapacity = 4,

        /// <summary>High-availability state (Get-RoVpnClusterStatus).</summary>
        VpnCluster = 8,

        /// <summary>Configuration backup and comparison (Export/Compare-RoVpnConfig).</summary>
        ConfigBackup = 16,

        /// <summary>Firewall rules and objects.</summary>
        FirewallPolicy = 32,

        /// <summary>Traffic shaping classes.</summary>
        Bandwidth = 64,

        /// <summary>Second-factor accounts and their authenticators (the SecurID cmdlets; Test-RoRemoteAccess).</summary>
        SecondFactorUsers = 128,

        /// <summary>Checking a user's one-time code against the second-factor service (Test-RoSecurIdCode).</summary>
        SecondFactorCodeTest = 256,

        /// <summary>Signing a VPN user in the way the user's client does, to try a password (Test-RoRemoteAccess -Credential).</summary>
        VpnSignIn = 512,
    }
}
