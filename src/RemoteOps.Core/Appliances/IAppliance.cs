using System;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// A connected device of any kind. Drivers add the interfaces of what they can do
    /// (IVpnAppliance today; firewall and bandwidth next) and declare them in
    /// <see cref="Capabilities"/>; the connection hands each cmdlet the interface it needs.
    /// </summary>
    public interface IAppliance : IDisposable
    {
        /// <summary>What the device is, as learned when connecting.</summary>
        ApplianceInfo Info { get; }

        /// <summary>What this device can be asked to do.</summary>
        ApplianceCapabilities Capabilities { get; }
    }
}
