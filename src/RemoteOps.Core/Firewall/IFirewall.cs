using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// The firewall side of a device (capability FirewallPolicy): read the rules RemoteOps
    /// manages there, and replace them with a desired set. Whether anything has to change is
    /// decided by <see cref="FirewallPolicyOperations"/>, not by the driver.
    /// </summary>
    public interface IFirewall : IAppliance
    {
        /// <summary>The part of the device RemoteOps manages, in words ("nftables table inet remoteops").</summary>
        string PolicyScope { get; }

        /// <summary>The rules and address objects RemoteOps manages, canonical, in rule order; empty when there are none yet.</summary>
        Task<FirewallPolicy> GetPolicyAsync(CancellationToken cancellationToken);

        /// <summary>The managed part in the device's own format, as a backup to restore by hand; empty when there is none.</summary>
        Task<string> ExportPolicyAsync(CancellationToken cancellationToken);

        /// <summary>
        /// Replaces the managed part with <paramref name="policy"/> (canonical) in one step that
        /// either fully applies or changes nothing. Throws InvalidRequest when the device refuses
        /// the policy (nothing changed) and Failed when reading back does not show it.
        /// </summary>
        Task ReplacePolicyAsync(FirewallPolicy policy, CancellationToken cancellationToken);
    }
}
