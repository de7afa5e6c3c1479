namespace RemoteOps.Core.Bandwidth
{
    /// <summary>One shaped interface: the rate its classes share, as RemoteOps set it.</summary>
    public sealed class BandwidthLink
    {
        /// <summary>The interface.</summary>
        public string Interface { get; set; }

        /// <summary>The link rate RemoteOps shapes to ("50Mbit"), or null when RemoteOps does not shape the interface.</summary>
        public string Rate { get; set; }

        /// <summary>What the device has at the root of the interface now, in its own words ("htb 1: default 0x2", "noqueue").</summary>
        public string Root { get; set; }

        /// <inheritdoc />
        public override string ToString() => Interface;
    }
}
