using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Laptops;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// The user's laptop against the laptop baseline: the laptops a <see cref="LaptopInventory"/>
    /// lists for the user are checked over SSH by the same code as Test-RoLaptopCompliance
    /// (<see cref="LaptopComplianceWork"/>). A non-compliant laptop is a warning with the checks
    /// it fails and the repair; a laptop that cannot be reached says so; without an inventory, or
    /// without an entry for the user, the check is NotAvailable with the reason.
    /// </summary>
    public sealed class LaptopComplianceCheck : IRemoteAccessCheck
    {
        private readonly LaptopInventory inventory;
        private readonly LaptopBaseline baseline;
        private readonly string baselineName;
        private readonly Func<LaptopInventoryEntry, ISshSessionSource> connect;
        private readonly TimeSpan timeout;

        /// <summary>A check that cannot be made: no inventory was given.</summary>
        public LaptopComplianceCheck()
        {
        }

        /// <summary>
        /// Checks the user's laptops of <paramref name="inventory"/> against <paramref name="baseline"/>
        /// (named <paramref name="baselineName"/> in the next step), each reached through
        /// <paramref name="connect"/>, the evidence script allowed <paramref name="timeout"/>.
        /// </summary>
        public LaptopComplianceCheck(LaptopInventory inventory, LaptopBaseline baseline, string baselineName, Func<LaptopInventoryEntry, ISshSessionSource> connect, TimeSpan timeout)
        {
            this.inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
            this.baseline = baseline ?? throw new ArgumentNullException(nameof(baseline));
            this.baselineName = baselineName;
            this.connect = connect ?? throw new ArgumentNullException(nameof(connect));
            this.timeout = timeout;
        }

        /// <inheritdoc />
        public string Name => "LaptopCompliance";

        /// <inheritdoc />
        public string Target => "user's laptop";

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            if (inventory == null)
            {
                return RemoteAccessCheckResult.NotAvailable(Name, Target,
                    "No laptop inventory was given, so no laptop was checked; pass -LaptopInventory (a CSV or JSON file of UserName and ComputerName) and -LaptopBaseline to include it.");
            }

            IReadOnlyList<LaptopInventoryEntry> laptops = inventory.For(request.UserName);
            if (laptops.Count == 0)
            {
                return RemoteAccessCheckResult.NotAvailable(Name, Target, $"{request.UserName} has no laptop in the inventory {inventory.Source}; no laptop was checked.");
            }

            LaptopHostCompliance[] hosts = await Task.WhenAll(laptops.Select(laptop => LaptopComplianceWork.CheckAsync(connect(laptop), baseline, timeout, cancellationToken))).ConfigureAwait(false);
            string target = string.Join(", ", hosts.Select(h => Address(h)));
            var evidence = new List<string>();
            var steps = new List<string>();
            bool nonCompliant = false;
            bool notChecked = false;
            foreach (LaptopHostCompliance host in hosts)
            {
                if (host.Status != HostStatus.Succeeded)
                {
                    notChecked = true;
                    evidence.Add($"{Address(host)} could not be checked ({host.Status}): {host.Message}");
                    steps.Add(host.Remedy ?? $"Check that {Address(host)} is on and reachable over SSH from here, then run Test-RoLaptopCompliance -ComputerName {host.ComputerName} on it.");
                    continue;
                }

                var failing = host.Results.Where(r => r.Compliance != ComplianceStatus.Compliant && r.Compliance != ComplianceStatus.NotApplicable).ToList();
                if (failing.Count == 0)
                {
                    evidence.Add($"{Address(host)} is compliant ({host.Results.Count} checks).");
                    continue;
                }

                nonCompliant |= failing.Any(r => r.Compliance == ComplianceStatus.NonCompliant);
                evidence.Add($"{Address(host)}: " + string.Join("; ", failing.Select(r => $"{r.Check} {r.Compliance}: {r.Evidence}")));
                if (failing.Any(r => r.CanRepair))
                {
                    steps.Add($"Repair-RoLaptopCompliance -ComputerName {host.ComputerName}{(host.Port == SshTarget.DefaultPort ? string.Empty : " -Port " + host.Port)} -Baseline {baselineName} fixes {string.Join(", ", failing.Where(r => r.CanRepair).Select(r => r.Check))}");
                }

                foreach (LaptopComplianceResult result in failing.Where(r => !r.CanRepair && r.Compliance == ComplianceStatus.NonCompliant))
                {
                    steps.Add($"{result.Check} on {host.ComputerName}: {result.Remedy}");
                }
            }

            string text = string.Join(" ", evidence);
            string next = steps.Count == 0 ? null : string.Join("; ", steps.Distinct());
            if (nonCompliant)
            {
                return RemoteAccessCheckResult.Found(Name, target, RemoteAccessCheckStatus.Warning, RemoteAccessCause.LaptopNonCompliant, text, next);
            }

            if (notChecked || hosts.Any(h => h.Results.Any(r => r.Compliance == ComplianceStatus.Error)))
            {
                return RemoteAccessCheckResult.Found(Name, target, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None, text, next);
            }

            return RemoteAccessCheckResult.Passed(Name, target, text);
        }

        private static string Address(HostResult host) => host.Port == SshTarget.DefaultPort ? host.ComputerName : $"{host.ComputerName}:{host.Port}";
    }
}
