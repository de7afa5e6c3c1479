using System.Collections.Generic;

namespace RemoteOps.Core.Laptops
{
    /// <summary>USB mass storage blocked (usbguard or the kernel module blacklisted), but for approved sticks.</summary>
    public sealed class UsbStorageRequirement
    {
        /// <summary>True when USB mass storage must be blocked.</summary>
        public bool Block { get; set; } = true;

        /// <summary>Approved encrypted sticks that stay allowed.</summary>
        public IList<ApprovedUsbDevice> Allowed { get; set; } = new List<ApprovedUsbDevice>();
    }
}
