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
            // A fixed desired policy is checked before the firewall is read: a bad rule costs no request.
            FirewallPolicy normal = Check(desired);
            FirewallPolicy current = await firewall.GetPolicyAsync(cancellationToken).ConfigureAwait(false);
            return (normal, await PlanAsync(current, normal, cancellationToken).ConfigureAwait(false));
        }

        /// <summary>
        /// Reads what the firewall holds, makes the desired policy from it (for a one-rule change:
        /// the current rules with one added or removed), validates it and plans the change.
        /// </summary>
        /// <param name="desiredFrom">Given a copy of the current policy (safe to edit); returns the desired policy, or null to plan nothing.</param>
        /// <param name="cancellationToken">Stops the read.</param>
        /// <returns>The canonical desired policy and its plan; both null when <paramref name="desiredFrom"/> returned null.</returns>
        /// <exception cref="ArgumentException">The desired policy is not valid, or not one the firewall can hold (nothing was sent).</exception>
        public async Task<(FirewallPolicy Desired, FirewallPlan Plan)> PlanAsync(Func<FirewallPolicy, FirewallPolicy> desiredFrom, CancellationToken cancellationToken)
        {
            if (desiredFrom == null)
            {
                throw new ArgumentNullException(nameof(desiredFrom));
            }

            FirewallPolicy current = await firewall.GetPolicyAsync(cancellationToken).ConfigureAwait(false);
            FirewallPolicy desired = desiredFrom(new FirewallPolicy
            {
                AddressObjects = current.AddressObjects.ToList(),
                Rules = current.Rules.Select(r => r.Clone()).ToList(),
            });
            if (desired == null)
            {
                return (null, null);
            }

            FirewallPolicy normal = Check(desired);
            return (normal, await PlanAsync(current, normal, cancellationToken).ConfigureAwait(false));
        }

        // Rules that already match are not enough where the device can hold a policy it does not
        // enforce: then the plan says so, and applying sends the policy again.
        private async Task<FirewallPlan> PlanAsync(FirewallPolicy current, FirewallPolicy normal, CancellationToken cancellationToken)
        {
            FirewallPlan plan = FirewallPolicyPlanner.Plan(current, normal);
            if (plan.IsEmpty && firewall is IFirewallPendingChanges pending)
            {
                plan.NotInForce = await pending.PendingChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            return plan;
        }

        // Canonical form, then what this device cannot hold is refused, so -WhatIf shows it too and nothing is sent.
        private FirewallPolicy Check(FirewallPolicy desired)
        {
            FirewallPolicy normal = FirewallPolicyValidator.Normalize(desired);
            (firewall as IFirewallRuleLimits)?.CheckSupported(normal);
            return normal;
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

            using (ReusingReadOf(plan))
            {
                if (saveBackup != null)
                {
                    result.BackupPath = saveBackup(await firewall.ExportPolicyAsync(cancellationToken).ConfigureAwait(false));
                }

                cancellationToken.ThrowIfCancellationRequested();
                await firewall.ReplacePolicyAsync(desired, cancellationToken).ConfigureAwait(false);
            }

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

        /// <summary>Lets a driver that can (<see cref="IFirewallPlanReuse"/>) export and change from what it read for the plan, until disposed.</summary>
        public IDisposable ReusingReadOf(FirewallPlan plan) => (firewall as IFirewallPlanReuse)?.ReuseReadOf(plan) ?? NoReuse.Instance;

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
            Changes = plan.Objects.Changes.Select(s => "object " + s.Description).Concat(plan.Rules.Changes.Select(s => s.Description))
                .Concat(plan.NotInForce == null ? Enumerable.Empty<string>() : new[] { plan.NotInForce }).ToList(),
            PlanText = plan.ToText(),
        };

        private sealed class NoReuse : IDisposable
        {
            internal static readonly NoReuse Instance = new NoReuse();

            public void Dispose()
            {
            }
        }
    }
}
