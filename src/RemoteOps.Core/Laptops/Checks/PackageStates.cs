using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>How the package checks read dpkg's answer: installed or not, in words for the evidence.</summary>
    internal static class PackageStates
    {
        internal static bool DpkgMissing(LaptopEvidence evidence) => evidence.Lines("packages").Contains("nodpkg");

        internal static string Describe(LaptopEvidence evidence, IEnumerable<string> names)
        {
            IReadOnlyDictionary<string, string> states = evidence.Packages();
            return "dpkg-query: " + string.Join(", ", names.Select(n => states.TryGetValue(n, out string s) ? $"{n} {s}" : $"{n} unknown to dpkg"));
        }
    }
}
