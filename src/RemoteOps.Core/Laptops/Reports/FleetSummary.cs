using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Laptops.Reports
{
    /// <summary>The numbers of a compliance report, counted once so the HTML and the tests read the same ones.</summary>
    public sealed class FleetSummary
    {
        private FleetSummary(IReadOnlyList<LaptopComplianceResult> results, IReadOnlyList<CheckSummary> checks, IReadOnlyList<HostSummary> hosts)
        {
            Results = results;
            Checks = checks;
            Hosts = hosts;
        }

        /// <summary>The results, in the order given.</summary>
        public IReadOnlyList<LaptopComplianceResult> Results { get; }

        /// <summary>One summary per check, in the order checks first appear.</summary>
        public IReadOnlyList<CheckSummary> Checks { get; }

        /// <summary>One summary per laptop, in the order laptops first appear.</summary>
        public IReadOnlyList<HostSummary> Hosts { get; }

        /// <summary>Laptops that meet every check that applies to them.</summary>
        public int CompliantHosts => Hosts.Count(h => h.Overall == ComplianceStatus.Compliant);

        /// <summary>Laptops that fail at least one check.</summary>
        public int NonCompliantHosts => Hosts.Count(h => h.Overall == ComplianceStatus.NonCompliant);

        /// <summary>Laptops with no failed check but at least one that could not be made.</summary>
        public int ErrorHosts => Hosts.Count(h => h.Overall == ComplianceStatus.Error);

        /// <summary>
        /// The verdict a result stands for: a host that could not be worked on (unreachable,
        /// authentication failed, ...) counts as an error whatever its Compliance says.
        /// </summary>
        public static ComplianceStatus Verdict(LaptopComplianceResult result)
        {
            if (result == null)
            {
                throw new ArgumentNullException(nameof(result));
            }

            return result.Status != HostStatus.Succeeded ? ComplianceStatus.Error : result.Compliance;
        }

        /// <summary>Counts the results.</summary>
        public static FleetSummary From(IEnumerable<LaptopComplianceResult> results)
        {
            List<LaptopComplianceResult> list = (results ?? Enumerable.Empty<LaptopComplianceResult>()).Where(r => r != null).ToList();
            var checks = new List<CheckSummary>();
            var hosts = new List<HostSummary>();
            foreach (LaptopComplianceResult result in list)
            {
                string checkName = result.Check ?? "(unnamed)";
                CheckSummary check = checks.FirstOrDefault(c => c.Check == checkName);
                if (check == null)
                {
                    check = new CheckSummary { Check = checkName, Title = result.Title };
                    checks.Add(check);
                }

                string hostName = result.ComputerName ?? "(unnamed)";
                HostSummary host = hosts.FirstOrDefault(h => h.ComputerName == hostName);
                if (host == null)
                {
                    host = new HostSummary { ComputerName = hostName };
                    hosts.Add(host);
                }

                switch (Verdict(result))
                {
                    case ComplianceStatus.Compliant:
                        check.Compliant++;
                        host.Compliant++;
                        break;
                    case ComplianceStatus.NonCompliant:
                        check.NonCompliant++;
                        host.NonCompliant++;
                        break;
                    case ComplianceStatus.NotApplicable:
                        check.NotApplicable++;
                        host.NotApplicable++;
                        break;
                    default:
                        check.Error++;
                        host.Error++;
                        break;
                }
            }

            return new FleetSummary(list, checks, hosts);
        }
    }
}
