using System.Collections.Generic;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>What a device shapes now: one link per shaped interface and the classes on each.</summary>
    public sealed class BandwidthState
    {
        /// <summary>The shaped interfaces' links.</summary>
        public IList<BandwidthLink> Links { get; set; } = new List<BandwidthLink>();

        /// <summary>The classes, interface by interface, each in match order.</summary>
        public IList<BandwidthClass> Classes { get; set; } = new List<BandwidthClass>();
    }
}
