using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// Puts back the user groups of a backup that are missing from the appliance, before the
    /// users (<see cref="VpnConfigRestore"/>), so a user whose group was deleted is restored
    /// into it instead of failing. Planned with the shared desired-state planner; groups are only
    /// ever added: a group the backup lacks is left alone, -Prune or not, since other
    /// configuration (policies, portals) may still use it.
    /// </summary>
    public static class VpnGroupsRestore
    {
        /// <summary>The plan from the appliance's groups to the backup's. Group names match case-sensitively, as on FortiOS.</summary>
        public static async Task<Plan<BackupGroup>> PlanAsync(IVpnBackupGroups appliance, IReadOnlyList<BackupGroup> backupGroups, CancellationToken cancellationToken)
        {
            if (appliance == null)
            {
                throw new ArgumentNullException(nameof(appliance));
            }

            var duplicate = (backupGroups ?? new BackupGroup[0]).GroupBy(g => g.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"The backup lists the group '{duplicate.Key}' more than once; nothing was restored.", "Use an unedited backup made by Export-RoVpnConfig.");
            }

            IReadOnlyList<string> names = await appliance.GetGroupNamesAsync(cancellationToken).ConfigureAwait(false);
            var current = names.Select(n => new BackupGroup { Name = n });
            var planner = new DesiredStatePlanner<BackupGroup>(g => g.Name, (a, b) => new PropertyChange[0], StringComparer.Ordinal);
            return planner.Plan(current, backupGroups ?? new BackupGroup[0]);
        }

        /// <summary>
        /// Creates the groups the plan adds, one at a time, then reads the group names back: one
        /// result per group the plan adds (groups already there are not reported). Failures are results, never exceptions; when
        /// <paramref name="cancellationToken"/> fires, the groups done so far are returned, unverified.
        /// </summary>
        public static async Task<IReadOnlyList<VpnGroupRestore>> ApplyAsync(IVpnBackupGroups appliance, string applianceAddress, Plan<BackupGroup> plan, CancellationToken cancellationToken)
        {
            if (appliance == null || plan == null)
            {
                throw new ArgumentNullException(appliance == null ? nameof(appliance) : nameof(plan));
            }

            var results = new List<KeyValuePair<PlanStep<BackupGroup>, VpnGroupRestore>>();
            foreach (PlanStep<BackupGroup> step in plan.Steps.Where(s => s.Action == PlanAction.Add))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return results.Select(r => r.Value).ToList();
                }

                var result = new VpnGroupRestore { GroupName = step.Key, Appliance = applianceAddress };
                results.Add(new KeyValuePair<PlanStep<BackupGroup>, VpnGroupRestore>(step, result));
                if (step.Desired.CannotCreateBecause != null)
                {
                    Fail(result, ApplianceErrorKind.NotSupported, $"Group '{step.Key}' was not created: {step.Desired.CannotCreateBecause}.");
                    continue;
                }

                try
                {
                    await appliance.CreateGroupAsync(step.Desired, cancellationToken).ConfigureAwait(false);
                    result.Outcome = VpnUserOutcome.Created;
                    result.Message = "Created empty; its members come back with the users.";
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Fail(result, ApplianceErrorKind.Cancelled, "Stopped before it finished; the group may or may not have been created.");
                    return results.Select(r => r.Value).ToList();
                }
                catch (ApplianceException error)
                {
                    Fail(result, error.Kind, error.Message);
                }
            }

            await VerifyAsync(appliance, results, cancellationToken).ConfigureAwait(false);
            return results.Select(r => r.Value).ToList();
        }

        private static async Task VerifyAsync(IVpnBackupGroups appliance, List<KeyValuePair<PlanStep<BackupGroup>, VpnGroupRestore>> results, CancellationToken cancellationToken)
        {
            HashSet<string> after;
            try
            {
                after = new HashSet<string>(await appliance.GetGroupNamesAsync(cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                foreach (var pair in results.Where(r => r.Value.Succeeded))
                {
                    pair.Value.Message = Join(pair.Value.Message, $"Not verified: the groups could not be read back ({error.Message}).");
                }

                return;
            }

            foreach (VpnGroupRestore result in results.Select(r => r.Value).Where(r => r.Succeeded))
            {
                if (after.Contains(result.GroupName))
                {
                    result.Verified = true;
                }
                else
                {
                    Fail(result, ApplianceErrorKind.Failed, Join(result.Message, "Reading back does not confirm the restore: the group is not there."));
                }
            }
        }

        private static void Fail(VpnGroupRestore result, ApplianceErrorKind kind, string message)
        {
            result.Outcome = VpnUserOutcome.Failed;
            result.ErrorKind = kind;
            result.Message = message;
        }

        private static string Join(string first, string second) => string.IsNullOrEmpty(first) ? second : first + " " + second;
    }
}
