using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Laptops.Checks;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// The checks a baseline is judged by, in the order results are written. A new check is one
    /// class implementing <see cref="ILaptopCheck"/> and one line here (see docs/laptops.md).
    /// </summary>
    public static class LaptopCheckRegistry
    {
        private static readonly ILaptopCheck[] BuiltIn =
        {
            new DiskEncryptionCheck(),
            new UsbStorageCheck(),
            new VpnProfileCheck(),
            new HostFirewallCheck(),
            new AutomaticSecurityUpdatesCheck(),
            new SshHardeningCheck(),
            new ScreenLockCheck(),
            new RequiredPackagesCheck(),
            new ForbiddenPackagesCheck(),
        };

        /// <summary>Every check, in result order.</summary>
        public static IReadOnlyList<ILaptopCheck> All => BuiltIn;

        /// <summary>The checks <paramref name="baseline"/> asks for.</summary>
        public static IReadOnlyList<ILaptopCheck> For(LaptopBaseline baseline) => BuiltIn.Where(c => c.Applies(baseline)).ToList();

        /// <summary>A check by its identifier, or null.</summary>
        public static ILaptopCheck Find(string id) => BuiltIn.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
    }
}
