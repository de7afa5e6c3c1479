namespace RemoteOps.Core.Laptops
{
    /// <summary>An approved USB stick, named the way usbguard matches devices.</summary>
    public sealed class ApprovedUsbDevice
    {
        /// <summary>USB vendor id, four hex digits ("0951").</summary>
        public string VendorId { get; set; }

        /// <summary>USB product id, four hex digits ("1666").</summary>
        public string ProductId { get; set; }

        /// <summary>The stick's serial number, or null for every stick of that model.</summary>
        public string Serial { get; set; }

        /// <summary>What the stick is, for people reading the baseline and the report.</summary>
        public string Description { get; set; }
    }
}
