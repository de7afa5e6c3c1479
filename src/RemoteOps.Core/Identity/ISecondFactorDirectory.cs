using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Identity
{
    /// <summary>
    /// The second-factor side of a device or service (capability SecondFactorUsers): what the
    /// help desk needs to know about one person's second factor. Drivers such as SecurID
    /// implement it; Test-RoRemoteAccess reads it without knowing the vendor.
    /// </summary>
    public interface ISecondFactorDirectory : IAppliance
    {
        /// <summary>
        /// The person's second-factor account and authenticators. Throws an ApplianceException of
        /// kind NotFound when the service has no such user.
        /// </summary>
        Task<SecondFactorUser> GetSecondFactorUserAsync(string userName, CancellationToken cancellationToken);
    }
}
