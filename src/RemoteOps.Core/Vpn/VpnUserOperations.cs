using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// Plans and applies user changes on one appliance: a plan is made from the user as read
    /// (reads only, so it is safe under -WhatIf), its steps are applied one at a time, and the
    /// user is read back to confirm every step applied. Failures become results, never exceptions.
    /// </summary>
    public static class VpnUserOperations
    {
        /// <summary>Makes the user exist as wanted: plans, applies and verifies. Unknown groups are refused before anything is changed.</summary>
        public static async Task<VpnUserChange> EnsureAsync(IVpnAppliance appliance, VpnUserRequest wanted, bool resetPassword, GroupCheck groups, CancellationToken cancellationToken)
            => await ApplyAsync(appliance, await PlanEnsureAsync(appliance, wanted, resetPassword, groups, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        /// <summary>
        /// Changes an existing user as wanted (Set-RoVpnUser): a user that does not exist fails
        /// with NotFound and is never created, whatever the request holds.
        /// </summary>
        public static async Task<VpnUserChange> UpdateExistingAsync(IVpnAppliance appliance, VpnUserRequest wanted, bool resetPassword, GroupCheck groups, CancellationToken cancellationToken)
            => await ApplyAsync(appliance, await PlanUpdateExistingAsync(appliance, wanted, resetPassword, groups, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        /// <summary>Removes the user if present; absent is NoChange.</summary>
        public static async Task<VpnUserChange> RemoveAsync(IVpnAppliance appliance, string userName, CancellationToken cancellationToken)
            => await ApplyAsync(appliance, await PlanRemovalAsync(appliance, userName, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        /// <summary>The steps that make the user exist as wanted (New-RoVpnUser); reads only.</summary>
        public static Task<VpnUserPlan> PlanEnsureAsync(IVpnAppliance appliance, VpnUserRequest wanted, bool resetPassword, GroupCheck groups, CancellationToken cancellationToken)
            => PlanAsync(appliance, wanted, resetPassword, mayCreate: true, groups, cancellationToken);

        /// <summary>The steps that change an existing user as wanted (Set-RoVpnUser); a missing user is refused with NotFound. Reads only.</summary>
        public static Task<VpnUserPlan> PlanUpdateExistingAsync(IVpnAppliance appliance, VpnUserRequest wanted, bool resetPassword, GroupCheck groups, CancellationToken cancellationToken)
            => PlanAsync(appliance, wanted, resetPassword, mayCreate: false, groups, cancellationToken);

        /// <summary>The step that removes the user, or none when it is already absent. Reads only.</summary>
        public static async Task<VpnUserPlan> PlanRemovalAsync(IVpnAppliance appliance, string userName, CancellationToken cancellationToken)
        {
            var wanted = new VpnUserRequest { UserName = userName };
            try
            {
                VpnUserName.Validate(userName);
                VpnUser existing = await appliance.FindUserAsync(userName, cancellationToken).ConfigureAwait(false);
                return new VpnUserPlan(userName, appliance.Info.Address, wanted, VpnUserPlanner.PlanRemoval(existing, appliance.SupportsUserGroups), null, removal: true);
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                return new VpnUserPlan(userName, appliance.Info.Address, wanted, null, Failed(NewChange(appliance, userName), error), removal: true);
            }
        }

        private static async Task<VpnUserPlan> PlanAsync(IVpnAppliance appliance, VpnUserRequest wanted, bool resetPassword, bool mayCreate, GroupCheck groups, CancellationToken cancellationToken)
        {
            try
            {
                VpnUserName.Validate(wanted.UserName);
                appliance.PasswordRules?.Check(wanted.UserName, wanted.Password);
                if (wanted.Groups != null)
                {
                    foreach (string group in wanted.Groups)
                    {
                        if (!await groups.ExistsAsync(appliance, group, cancellationToken).ConfigureAwait(false))
                        {
                            throw new ApplianceException(
                                ApplianceErrorKind.NotFound,
                                $"The group '{group}' does not exist on {appliance.Info.Address}; user '{wanted.UserName}' was not changed.",
                                "Check the group or realm name (Get-RoVpnUser shows the groups in use), or create it on the appliance first.");
                        }
                    }
                }

                VpnUser existing = await appliance.FindUserAsync(wanted.UserName, cancellationToken).ConfigureAwait(false);
                if (existing == null && !mayCreate)
                {
                    throw new ApplianceException(ApplianceErrorKind.NotFound, $"There is no user '{wanted.UserName}' on {appliance.Info.Address}; nothing was changed.", "Create it with New-RoVpnUser.");
                }

                // Where users have no groups (Connect Secure), the names are realms: checked above, never set.
                VpnUserRequest plannable = appliance.SupportsUserGroups ? wanted : WithoutGroups(wanted);
                IReadOnlyList<VpnUserStep> steps = VpnUserPlanner.Plan(existing, plannable, resetPassword);
                if (existing == null && (wanted.Password == null || wanted.Password.Length == 0))
                {
                    throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"User '{wanted.UserName}' does not exist yet and no password was given to create it.", "Give -Password, -GeneratePassword, or a Password property as SecureString.");
                }

                return new VpnUserPlan(wanted.UserName, appliance.Info.Address, wanted, steps, null, removal: false);
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                return new VpnUserPlan(wanted.UserName, appliance.Info.Address, wanted, null, Failed(NewChange(appliance, wanted.UserName), error), removal: false);
            }
        }

        /// <summary>
        /// Applies the plan's steps one at a time, stopping at the first that fails, then reads
        /// the user back and checks each step applied: the user exists (or is gone), its
        /// enabled state and its groups are as the step set them. A step the appliance does not
        /// show is reported as Failed, naming the step and what the appliance shows. A password
        /// cannot be read back; drivers that can check a stored hash do so themselves.
        /// A plan without steps, or a refused one, gives its NoChange or Failed result.
        /// </summary>
        public static async Task<VpnUserChange> ApplyAsync(IVpnAppliance appliance, VpnUserPlan plan, CancellationToken cancellationToken)
        {
            if (appliance == null || plan == null)
            {
                throw new ArgumentNullException(appliance == null ? nameof(appliance) : nameof(plan));
            }

            if (!plan.ChangesSomething)
            {
                return plan.Unapplied();
            }

            var change = NewChange(appliance, plan.UserName);

            // Each step is recorded as soon as it is applied, so a failure halfway still says
            // what was done (and a created user is known to exist, with the password sent).
            var applied = new List<VpnUserStep>();
            try
            {
                foreach (VpnUserStep step in plan.Steps)
                {
                    await ApplyStepAsync(appliance, plan.Wanted, step, cancellationToken).ConfigureAwait(false);
                    applied.Add(step);
                    change.Changes = applied.Select(s => s.Description).ToArray();
                    change.Created |= step.Kind == VpnUserStepKind.Create;
                }
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                return Failed(change, error);
            }

            change.Outcome = plan.IsRemoval ? VpnUserOutcome.Removed
                : plan.Steps[0].Kind == VpnUserStepKind.Create ? VpnUserOutcome.Created
                : VpnUserOutcome.Updated;
            await VerifyAsync(appliance, plan, applied, change, cancellationToken).ConfigureAwait(false);
            return change;
        }

        private static async Task VerifyAsync(IVpnAppliance appliance, VpnUserPlan plan, IReadOnlyList<VpnUserStep> applied, VpnUserChange change, CancellationToken cancellationToken)
        {
            VpnUser after;
            try
            {
                after = await appliance.FindUserAsync(plan.UserName, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                Failed(change, error);
                change.Message = $"The changes to user '{plan.UserName}' were sent, but reading the user back to confirm them failed: {change.Message}";
                return;
            }

            var unconfirmed = applied.Select(step => new { Step = step, Shows = Mismatch(step, plan.Wanted, after, appliance.SupportsUserGroups) }).Where(m => m.Shows != null).ToList();
            if (unconfirmed.Count == 0)
            {
                return;
            }

            change.Outcome = VpnUserOutcome.Failed;
            change.ErrorKind = ApplianceErrorKind.Failed;
            change.Created &= after != null;
            change.Changes = applied.Where(s => unconfirmed.All(u => u.Step != s)).Select(s => s.Description).ToArray();
            change.Message = string.Join(" ", unconfirmed.Select(u => $"Step '{u.Step.Description}' was sent, but {appliance.Info.Address} shows {u.Shows}."))
                + " Check the user with Get-RoVpnUser; running the same command again retries what is missing.";
        }

        // What the appliance shows instead of what the step set, or null when it shows the step done.
        private static string Mismatch(VpnUserStep step, VpnUserRequest wanted, VpnUser after, bool userGroups)
        {
            if (step.Kind == VpnUserStepKind.Remove)
            {
                return after == null ? null : "the user still there";
            }

            if (after == null)
            {
                return "no user of that name";
            }

            switch (step.Kind)
            {
                case VpnUserStepKind.Create:
                    if (userGroups && wanted.Groups != null && !VpnUserPlanner.SameGroups(after.Groups, wanted.Groups))
                    {
                        return "the user with groups: " + VpnUserPlanner.GroupWords(after.Groups);
                    }

                    // A user wanted disabled is checked by the disable step that follows.
                    return wanted.Enabled != false && !after.Enabled ? "the user disabled" : null;
                case VpnUserStepKind.Enable:
                    return after.Enabled ? null : "the user disabled";
                case VpnUserStepKind.Disable:
                    return after.Enabled ? "the user enabled" : null;
                case VpnUserStepKind.SetGroups:
                    return VpnUserPlanner.SameGroups(after.Groups, wanted.Groups) ? null : "groups: " + VpnUserPlanner.GroupWords(after.Groups);
                default:
                    // A password cannot be read back: the user being there is all that can be seen.
                    return null;
            }
        }

        private static async Task ApplyStepAsync(IVpnAppliance appliance, VpnUserRequest wanted, VpnUserStep step, CancellationToken cancellationToken)
        {
            switch (step.Kind)
            {
                case VpnUserStepKind.Create:
                    await appliance.CreateUserAsync(wanted, cancellationToken).ConfigureAwait(false);
                    break;
                case VpnUserStepKind.Enable:
                    await appliance.SetUserEnabledAsync(wanted.UserName, true, cancellationToken).ConfigureAwait(false);
                    break;
                case VpnUserStepKind.Disable:
                    await appliance.SetUserEnabledAsync(wanted.UserName, false, cancellationToken).ConfigureAwait(false);
                    break;
                case VpnUserStepKind.SetGroups:
                    await appliance.SetUserGroupsAsync(wanted.UserName, wanted.Groups, cancellationToken).ConfigureAwait(false);
                    break;
                case VpnUserStepKind.SetPassword:
                    await appliance.SetUserPasswordAsync(wanted.UserName, wanted.Password, wanted.ChangePasswordAtSignIn, cancellationToken).ConfigureAwait(false);
                    break;
                case VpnUserStepKind.Remove:
                    await appliance.RemoveUserAsync(wanted.UserName, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        private static VpnUserRequest WithoutGroups(VpnUserRequest wanted) => new VpnUserRequest
        {
            UserName = wanted.UserName,
            FullName = wanted.FullName,
            Password = wanted.Password,
            Enabled = wanted.Enabled,
            ChangePasswordAtSignIn = wanted.ChangePasswordAtSignIn,
        };

        private static VpnUserChange NewChange(IVpnAppliance appliance, string userName) => new VpnUserChange
        {
            UserName = userName,
            Appliance = appliance.Info.Address,
        };

        private static VpnUserChange Failed(VpnUserChange change, Exception error)
        {
            change.Outcome = VpnUserOutcome.Failed;
            if (error is ApplianceException appliance)
            {
                change.ErrorKind = appliance.Kind;
                change.Message = appliance.Remedy == null ? appliance.Message : appliance.Message + " " + appliance.Remedy;
            }
            else if (error is ArgumentException argument)
            {
                change.ErrorKind = ApplianceErrorKind.InvalidRequest;
                change.Message = argument.Message;
            }
            else
            {
                change.ErrorKind = ApplianceErrorKind.Failed;
                change.Message = error.Message;
            }

            return change;
        }
    }

    /// <summary>Remembers which groups exist, so a bulk import asks the appliance once per group.</summary>
    public sealed class GroupCheck
    {
        // Case matters: ocserv and FortiGate group names are case-sensitive.
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<bool>> known =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Task<bool>>(StringComparer.Ordinal);

        /// <summary>True when the group exists on the appliance.</summary>
        public async Task<bool> ExistsAsync(IVpnAppliance appliance, string group, CancellationToken cancellationToken)
        {
            Task<bool> check = known.GetOrAdd(group, g => appliance.GroupExistsAsync(g, cancellationToken));
            try
            {
                return await check.ConfigureAwait(false);
            }
            catch
            {
                // A busy or unreachable appliance must not fail every later row naming the group.
                known.TryRemove(group, out _);
                throw;
            }
        }
    }
}
