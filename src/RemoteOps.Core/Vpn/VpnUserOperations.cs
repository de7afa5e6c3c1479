using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn
{
    /// <summary>Plans and applies user changes on one appliance; failures become results, never exceptions.</summary>
    public static class VpnUserOperations
    {
        /// <summary>Makes the user exist as wanted. Unknown groups are refused before anything is changed.</summary>
        public static Task<VpnUserChange> EnsureAsync(IVpnAppliance appliance, VpnUserRequest wanted, bool resetPassword, GroupCheck groups, CancellationToken cancellationToken)
            => BringToWantedStateAsync(appliance, wanted, resetPassword, mayCreate: true, groups, cancellationToken);

        /// <summary>
        /// Changes an existing user as wanted (Set-RoVpnUser): a user that does not exist fails
        /// with NotFound and is never created, whatever the request holds.
        /// </summary>
        public static Task<VpnUserChange> UpdateExistingAsync(IVpnAppliance appliance, VpnUserRequest wanted, bool resetPassword, GroupCheck groups, CancellationToken cancellationToken)
            => BringToWantedStateAsync(appliance, wanted, resetPassword, mayCreate: false, groups, cancellationToken);

        private static async Task<VpnUserChange> BringToWantedStateAsync(IVpnAppliance appliance, VpnUserRequest wanted, bool resetPassword, bool mayCreate, GroupCheck groups, CancellationToken cancellationToken)
        {
            var change = NewChange(appliance, wanted.UserName);
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

                // Each step is recorded as soon as it is applied, so a failure halfway still says
                // what was done (and a created user is known to exist, with the password sent).
                var applied = new List<string>();
                foreach (VpnUserStep step in steps)
                {
                    await ApplyAsync(appliance, wanted, step, cancellationToken).ConfigureAwait(false);
                    applied.Add(step.Description);
                    change.Changes = applied.ToArray();
                    change.Created |= step.Kind == VpnUserStepKind.Create;
                }

                change.Outcome = steps.Count == 0 ? VpnUserOutcome.NoChange
                    : steps[0].Kind == VpnUserStepKind.Create ? VpnUserOutcome.Created
                    : VpnUserOutcome.Updated;
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                Fail(change, error);
            }

            return change;
        }

        /// <summary>Removes the user if present; absent is NoChange.</summary>
        public static async Task<VpnUserChange> RemoveAsync(IVpnAppliance appliance, string userName, CancellationToken cancellationToken)
        {
            var change = NewChange(appliance, userName);
            try
            {
                VpnUserName.Validate(userName);
                VpnUser existing = await appliance.FindUserAsync(userName, cancellationToken).ConfigureAwait(false);
                if (existing == null)
                {
                    change.Outcome = VpnUserOutcome.NoChange;
                    return change;
                }

                await appliance.RemoveUserAsync(userName, cancellationToken).ConfigureAwait(false);
                change.Outcome = VpnUserOutcome.Removed;
                change.Changes = new[] { "removed (sessions ended)" };
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                Fail(change, error);
            }

            return change;
        }

        private static async Task ApplyAsync(IVpnAppliance appliance, VpnUserRequest wanted, VpnUserStep step, CancellationToken cancellationToken)
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

        private static void Fail(VpnUserChange change, Exception error)
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
