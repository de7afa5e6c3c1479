using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>
    /// Plans and applies a desired shaping policy on any <see cref="IBandwidthShaper"/>: validate
    /// first (nothing is read or sent for a bad class), read what the device shapes, plan with
    /// <see cref="BandwidthPolicyPlanner"/>, send nothing when the plan is empty, otherwise apply
    /// and plan again from what the device then reports: a second plan that still has steps means
    /// the change did not take.
    /// </summary>
    public sealed class BandwidthPolicyOperations
    {
        private readonly IBandwidthShaper shaper;

        /// <summary>Works on one device.</summary>
        public BandwidthPolicyOperations(IBandwidthShaper shaper)
        {
            this.shaper = shaper ?? throw new ArgumentNullException(nameof(shaper));
        }

        /// <summary>Validates the desired policy and plans the change from what the device holds.</summary>
        /// <exception cref="ArgumentException">A class or rate is not valid (nothing was read or sent).</exception>
        public async Task<(BandwidthPolicy Desired, BandwidthState Current, BandwidthPlan Plan)> PlanAsync(BandwidthPolicy desired, CancellationToken cancellationToken)
        {
            BandwidthPolicy normal = BandwidthPolicyValidator.Normalize(desired);
            BandwidthState current = await shaper.GetStateAsync(cancellationToken).ConfigureAwait(false);
            return (normal, current, BandwidthPolicyPlanner.Plan(current, normal, shaper.Interfaces));
        }

        /// <summary>Applies a plan made by <see cref="PlanAsync"/>; an empty plan sends nothing.</summary>
        public async Task<BandwidthPolicyResult> ApplyAsync(BandwidthPolicy desired, BandwidthState current, BandwidthPlan plan, CancellationToken cancellationToken)
        {
            BandwidthPolicyResult result = Describe(plan, BandwidthPolicyOutcome.NoChange);
            if (plan.IsEmpty)
            {
                return result;
            }

            cancellationToken.ThrowIfCancellationRequested();
            await shaper.ApplyAsync(desired, current, cancellationToken).ConfigureAwait(false);
            BandwidthState after = await shaper.GetStateAsync(CancellationToken.None).ConfigureAwait(false);
            BandwidthPlan left = BandwidthPolicyPlanner.Plan(after, desired, shaper.Interfaces);
            if (!left.IsEmpty)
            {
                throw new ApplianceException(
                    ApplianceErrorKind.Failed,
                    $"The policy was sent to {shaper.Info.Address}, but reading {shaper.PolicyScope} back shows something else: {string.Join("; ", Lines(left))}.",
                    "Look at the device with Get-RoBandwidthPolicy; another process may change the same interfaces or table. Setting the policy again completes a partial change.");
            }

            result.Outcome = BandwidthPolicyOutcome.Updated;
            return result;
        }

        /// <summary>The counts and lines of a plan, for output.</summary>
        public BandwidthPolicyResult Describe(BandwidthPlan plan, BandwidthPolicyOutcome outcome) => new BandwidthPolicyResult
        {
            Appliance = shaper.Info.Address,
            Scope = shaper.PolicyScope,
            Outcome = outcome,
            Interfaces = shaper.Interfaces.ToList(),
            Added = plan.Classes.Steps.Count(s => s.Action == PlanAction.Add),
            Changed = plan.Classes.Steps.Count(s => s.Action == PlanAction.Change),
            Moved = plan.Classes.Steps.Count(s => s.Action == PlanAction.Move),
            Removed = plan.Classes.Steps.Count(s => s.Action == PlanAction.Remove),
            Unchanged = plan.Classes.Steps.Count(s => s.Action == PlanAction.Unchanged),
            Changes = Lines(plan).ToList(),
            PlanText = plan.ToText(),
        };

        private static System.Collections.Generic.IEnumerable<string> Lines(BandwidthPlan plan) =>
            plan.Links.Changes.Select(s => "link " + s.Description).Concat(plan.Classes.Changes.Select(s => s.Description));
    }
}
