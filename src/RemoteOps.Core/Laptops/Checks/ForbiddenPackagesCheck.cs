using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>
    /// No forbidden package installed, as dpkg's database says (dpkg-query; a package removed
    /// but with its configuration files left, "rc", counts as gone). The repair purges them with
    /// apt-get.
    /// </summary>
    public sealed class ForbiddenPackagesCheck : ILaptopCheck
    {
        /// <inheritdoc />
        public string Id => "ForbiddenPackages";

        /// <inheritdoc />
        public string Title => "Forbidden packages are absent";

        /// <inheritdoc />
        public bool Applies(LaptopBaseline baseline) => baseline.ForbiddenPackages != null && baseline.ForbiddenPackages.Count > 0;

        /// <inheritdoc />
        public string Expected(LaptopBaseline baseline) => "not installed: " + string.Join(", ", baseline.ForbiddenPackages);

        /// <inheritdoc />
        public LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            if (PackageStates.DpkgMissing(evidence))
            {
                return LaptopCheckVerdict.NotApplicable("dpkg-query not found: not a Debian-family system");
            }

            List<string> present = Present(baseline, evidence);
            string text = PackageStates.Describe(evidence, baseline.ForbiddenPackages);
            return present.Count == 0 ? LaptopCheckVerdict.Compliant(text) : LaptopCheckVerdict.NonCompliant($"{text} (installed: {string.Join(", ", present)})");
        }

        /// <inheritdoc />
        public LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            List<string> present = Present(baseline, evidence);
            return new LaptopRepairStep(
                "apt-get purge " + string.Join(" ", present),
                "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -- " + string.Join(" ", present.Select(Ssh.PosixShell.Quote)) + "\n");
        }

        private static List<string> Present(LaptopBaseline baseline, LaptopEvidence evidence) =>
            baseline.ForbiddenPackages.Where(evidence.IsInstalled).ToList();
    }
}
