using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>
    /// Every required package installed, as dpkg's database says (dpkg-query). The repair
    /// installs the missing ones with apt-get from the laptop's configured repositories.
    /// </summary>
    public sealed class RequiredPackagesCheck : ILaptopCheck
    {
        /// <inheritdoc />
        public string Id => "RequiredPackages";

        /// <inheritdoc />
        public string Title => "Required packages are installed";

        /// <inheritdoc />
        public bool Applies(LaptopBaseline baseline) => baseline.RequiredPackages != null && baseline.RequiredPackages.Count > 0;

        /// <inheritdoc />
        public string Expected(LaptopBaseline baseline) => "installed: " + string.Join(", ", baseline.RequiredPackages);

        /// <inheritdoc />
        public LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            if (PackageStates.DpkgMissing(evidence))
            {
                return LaptopCheckVerdict.NotApplicable("dpkg-query not found: not a Debian-family system");
            }

            List<string> missing = Missing(baseline, evidence);
            string text = PackageStates.Describe(evidence, baseline.RequiredPackages);
            return missing.Count == 0 ? LaptopCheckVerdict.Compliant(text) : LaptopCheckVerdict.NonCompliant($"{text} (missing: {string.Join(", ", missing)})");
        }

        /// <inheritdoc />
        public LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            List<string> missing = Missing(baseline, evidence);
            return new LaptopRepairStep(
                "apt-get install " + string.Join(" ", missing),
                "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -- " + string.Join(" ", missing.Select(Ssh.PosixShell.Quote)) + "\n");
        }

        private static List<string> Missing(LaptopBaseline baseline, LaptopEvidence evidence) =>
            baseline.RequiredPackages.Where(p => !evidence.IsInstalled(p)).ToList();
    }
}
