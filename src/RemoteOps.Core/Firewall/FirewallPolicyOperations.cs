using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// Plans and applies a desired policy on any <see cref="IFirewall"/>: validate first (nothing is
    /// sent for a bad rule), read what the device holds, plan with <see cref="FirewallPolicyPlanner"/>,
    /// send nothing when the plan is empty, otherwise replace and plan again from what the device
    /// then reports: a second plan that still has steps means the change did not take.
    /// </summary>
    public sealed class FirewallPolicyOperations
    {
        private readonly IFirewall firewall;

        /// <summary>Works on one firewall.</summary>
        public FirewallPolicyOperations(IFirewall firewall)
        {
            this.firewall = firewall ?? throw new ArgumentNullException(nameof(firewall));
        }

        /// <summary>Validates the desired policy and plans the change from what the firewall holds.</summary>
        /// <exception cref="ArgumentException">A rule or object is not valid, or not one the firewall can hold (nothing was read or sent).</exception>
        public async Task<(FirewallPolicy Desired, FirewallPlan Plan)> PlanAsync(FirewallPolicy desired, CancellationToken cancellationToken)
        {
            FirewallPolicy normal = FirewallPolicyValidator.Normalize(desired);
            (firewall as IFirewallRuleLimits)?.CheckSupported(normal);
            FirewallPolicy current = await firewall.GetPolicyAsync(cancellationToken).ConfigureAwait(false);
            return (normal, FirewallPolicyPlanner.Plan(current, normal));
        }

        /// <summary>Applies a plan made by <see cref="PlanAsync"/>; an empty plan sends nothing.</summary>
        /// <param name="desired">The canonical desired policy from <see cref="PlanAsync"/>.</param>
        /// <param name="plan">Its plan.</param>
        /// <param name="saveBackup">Given the device's export of the managed part before the change; returns where it was kept (or null). Null skips the export.</param>
        /// <param name="cancellationToken">Stops before the change is sent.</param>
        public async Task<FirewallPolicyResult> ApplyAsync(FirewallPolicy desired, FirewallPlan plan, Func<string, string> saveBackup, CancellationToken cancellationToken)
        {
            FirewallPolicyResult result = Describe(plan, FirewallPolicyOutcome.NoChange);
            if (plan.IsEmpty)
            {
                return result;
            }

            if (saveBackup != null)
            {
                result.BackupPath = saveBackup(await firewall.ExportPolicyAsync(cancellationToken).ConfigureAwait(false));
            }

            cancellationToken.ThrowIfCancellationRequested();
            await firewall.ReplacePolicyAsync(desired, cancellationToken).ConfigureAwait(false);
            FirewallPolicy after = await firewall.GetPolicyAsync(CancellationToken.None).ConfigureAwait(false);
            FirewallPlan left = FirewallPolicyPlanner.Plan(after, desired);
            if (!left.IsEmpty)
            {
                throw new ApplianceException(
                    ApplianceErrorKind.Failed,
                    $"The policy was sent to {firewall.Info.Address}, but reading {firewall.PolicyScope} back shows something else: {string.Join("; ", left.Objects.Changes.Select(s => "object " + s.Description).Concat(left.Rules.Changes.Select(s => s.Description)))}.",
                    "Look at the firewall with Get-RoFirewallRule; another process may change the same table.");
            }

            result.Outcome = FirewallPolicyOutcome.Updated;
            return result;
        }

        /// <summary>The counts and lines of a plan, for output.</summary>
        public FirewallPolicyResult Describe(FirewallPlan plan, FirewallPolicyOutcome outcome) => new FirewallPolicyResult
        {
            Appliance = firewall.Info.Address,
            Scope = firewall.PolicyScope,
            Outcome = outcome,
            Added = plan.Rules.Steps.Count(s => s.Action == PlanAction.Add),
            Changed = plan.Rules.Steps.Count(s => s.Action == PlanAction.Change),
            Moved = plan.Rules.Steps.Count(s => s.Action == PlanAction.Move),
            Removed = plan.Rules.Steps.Count(s => s.Action == PlanAction.Remove),
            Unchanged = plan.Rules.Steps.Count(s => s.Action == PlanAction.Unchanged),
            Changes = plan.Objects.Changes.Select(s => "object " + s.Description).Concat(plan.Rules.Changes.Select(s => s.Description)).ToList(),
            PlanText = plan.ToText(),
        };
    }
}
