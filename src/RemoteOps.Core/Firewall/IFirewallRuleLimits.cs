namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// A firewall driver whose device cannot hold every rule the common model allows (an SMC
    /// policy has no Input chain) implements this, so that such a rule is refused before the
    /// device is read or changed, -WhatIf included.
    /// </summary>
    public interface IFirewallRuleLimits
    {
        /// <summary>Refuses a canonical policy the device cannot hold.</summary>
        /// <exception cref="System.ArgumentException">A rule the device cannot hold; the message names it and says what to do.</exception>
        void CheckSupported(FirewallPolicy policy);
    }
}
