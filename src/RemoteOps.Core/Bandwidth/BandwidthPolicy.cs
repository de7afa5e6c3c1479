using System.Collections.Generic;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>
    /// What RemoteOps shapes on a device: the link's rate (everything leaving a shaped interface
    /// shares it) and the classes, first match first, the default class last.
    /// </summary>
    public sealed class BandwidthPolicy
    {
        /// <summary>The rate of the shaped link ("50mbit"): no class may borrow beyond it, and the guaranteed rates together may not exceed it.</summary>
        public string LinkRate { get; set; }

        /// <summary>The classes, in match order.</summary>
        public IList<BandwidthClass> Classes { get; set; } = new List<BandwidthClass>();
    }
}
