namespace RemoteOps.Core.Appliances
{
    /// <summary>Which device a driver talks to, as learned when connecting.</summary>
    public sealed class ApplianceInfo
    {
        /// <summary>The registered driver name (Ocserv, ConnectSecure, FortiGate, ...).</summary>
        public string Driver { get; set; }

        /// <summary>The address the device was reached at.</summary>
        public string Address { get; set; }

        /// <summary>Product and version as reported by the device, or null when it reports none.</summary>
        public string Version { get; set; }

        /// <summary>Host name or serial number as reported by the device.</summary>
        public string Name { get; set; }
    }
}
