using System.Collections.Generic;

namespace RemoteOps.Core.Bandwidth.LinuxTc
{
    /// <summary>One rule of the classification table: the class it sorts packets into, and on which interfaces.</summary>
    public sealed class ShapingRule
    {
        /// <summary>The class, with its name and match (rates are tc's, not the rule's).</summary>
        public BandwidthClass Class { get; set; }

        /// <summary>The tc class the rule sends packets to ("1:10"), or null when the rule sets none.</summary>
        public string ClassId { get; set; }

        /// <summary>The interfaces the rule applies to (oifname).</summary>
        public IList<string> Interfaces { get; set; } = new List<string>();
    }
}
