using System;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// A firewall driver whose full read is expensive (one request per rule on an SMC) implements
    /// this so that one apply reads the rules once: what it read for the plan is used again for
    /// the backup and the change made from that plan, after a cheap check that the list of rules
    /// is still the same. The read-back that verifies the change is always a full read.
    /// </summary>
    public interface IFirewallPlanReuse
    {
        /// <summary>Until disposed, the export and the change may use what was read for <paramref name="plan"/>.</summary>
        IDisposable ReuseReadOf(FirewallPlan plan);
    }
}
