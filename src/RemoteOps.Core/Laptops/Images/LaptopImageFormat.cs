namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>The unattended-install formats New-RoLaptopImage writes.</summary>
    public enum LaptopImageFormat
    {
        /// <summary>Ubuntu autoinstall: user-data and meta-data for a NoCloud seed.</summary>
        Autoinstall,

        /// <summary>Debian installer preseed: preseed.cfg.</summary>
        Preseed,
    }
}
