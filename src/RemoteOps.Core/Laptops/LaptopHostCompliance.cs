using System.Collections.Generic;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// One laptop's run against a baseline: how the host fared (connection, evidence script), the
    /// evidence read, and one result per check. The cmdlets write the results, not this.
    /// </summary>
    public sealed class LaptopHostCompliance : HostResult
    {
        /// <summary>The account the checks logged in as.</summary>
        public string UserName { get; set; }

        /// <summary>What the evidence script read, or null when it did not run to its end.</summary>
        public LaptopEvidence Evidence { get; set; }

        /// <summary>One result per check of the baseline, in registry order.</summary>
        public IList<LaptopComplianceResult> Results { get; } = new List<LaptopComplianceResult>();
    }
}
