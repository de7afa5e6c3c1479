using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>
    /// The traffic-shaping side of a device (capability Bandwidth): read the classes RemoteOps
    /// manages with their counters, and make them a desired policy. Whether anything has to change
    /// is decided by <see cref="BandwidthPolicyOperations"/>, not by the driver.
    /// </summary>
    public interface IBandwidthShaper : IAppliance
    {
        /// <summary>The part of the device RemoteOps manages, in words.</summary>
        string PolicyScope { get; }

        /// <summary>The interfaces whose outgoing traffic is shaped, each with the same policy.</summary>
        IReadOnlyList<string> Interfaces { get; }

        /// <summary>
        /// The link of every shaped interface and the classes on it, canonical (as
        /// <see cref="BandwidthPolicyValidator.Normalize"/> writes them), interface by interface in
        /// match order, with their counters.
        /// </summary>
        Task<BandwidthState> GetStateAsync(CancellationToken cancellationToken);

        /// <summary>
        /// Makes the device hold <paramref name="desired"/> (canonical) on every interface, starting
        /// from <paramref name="current"/> (read just before). Throws InvalidRequest when the device
        /// refuses the policy.
        /// </summary>
        Task ApplyAsync(BandwidthPolicy desired, BandwidthState current, CancellationToken cancellationToken);
    }
}
