using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// A firewall where the stored policy and the enforced one can differ (an SMC stores the
    /// policy, the engine runs what was last uploaded) implements this, so that a policy whose
    /// rules already match is still sent when the device has not put it in force, for example
    /// after an upload that failed: otherwise a second run would plan nothing and the engine
    /// would never get the policy.
    /// </summary>
    public interface IFirewallPendingChanges
    {
        /// <summary>Why the part RemoteOps manages is not yet in force, in words; null when it is.</summary>
        Task<string> PendingChangesAsync(CancellationToken cancellationToken);
    }
}
