using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn
{
    /// <summary>Where the passwords of users created from a backup come from; a backup holds none.</summary>
    public enum RestorePasswords
    {
        /// <summary>None: missing users are created disabled with a random password nobody is told.</summary>
        None,

        /// <summary>The one password the admin gave (-Password), for every created user.</summary>
        Given,

        /// <summary>A new random password per created user, returned to the admin (-GeneratePassword).</summary>
        Generated,
    }

    /// <summary>
    /// Puts the users of a backup back on an appliance: planned with the shared desired-state
    /// planner (shown by -WhatIf), applied user by user through <see cref="VpnUserOperations"/>,
    /// and verified by reading every user back. Users missing from the appliance are created;
    /// existing users get the backup's enabled state and groups and keep their passwords; with
    /// prune, users the backup does not have are removed.
    /// </summary>
    public static class VpnConfigRestore
    {
        private const string EnabledProperty = "enabled";
        private const string GroupsProperty = "groups";

        /// <summary>
        /// The plan from the appliance's users to the backup's. Missing users are planned disabled
        /// when <paramref name="passwords"/> is None, since they will have no usable password.
        /// Names match by <paramref name="userNames"/>, the appliance's own rule (ignoring case
        /// when not given).
        /// </summary>
        public static async Task<Plan<BackupUser>> PlanAsync(IVpnAppliance appliance, IReadOnlyList<BackupUser> backupUsers, RestorePasswords passwords, bool prune, CancellationToken cancellationToken, StringComparer userNames = null)
        {
            userNames = userNames ?? StringComparer.OrdinalIgnoreCase;
            if (appliance == null)
            {
                throw new ArgumentNullException(nameof(appliance));
            }

            var duplicate = (backupUsers ?? new BackupUser[0]).GroupBy(u => u.UserName, userNames).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"The backup lists the user '{duplicate.Key}' more than once; nothing was restored.", "Use an unedited backup made by Export-RoVpnConfig.");
            }

            IReadOnlyList<VpnUser> users = await appliance.GetUsersAsync(cancellationToken).ConfigureAwait(false);
            var current = users.Select(u => new BackupUser
            {
                UserName = u.UserName,
                FullName = u.FullName,
                Enabled = u.Enabled,
                Groups = appliance.SupportsUserGroups ? (IReadOnlyList<string>)(u.Groups ?? new string[0]) : new string[0],
            }).ToList();
            var present = new HashSet<string>(current.Select(u => u.UserName), userNames);
            var desired = backupUsers.Select(u => new BackupUser
            {
                UserName = u.UserName,
                FullName = u.FullName,
                Enabled = u.Enabled && (passwords != RestorePasswords.None || present.Contains(u.UserName)),
                Groups = appliance.SupportsUserGroups ? (u.Groups ?? new string[0]) : new string[0],
                CannotCreateBecause = u.CannotCreateBecause,
            }).ToList();

            var planner = new DesiredStatePlanner<BackupUser>(u => u.UserName, Compare, userNames);
            if (prune)
            {
                planner.Owns = user => true;
            }

            return planner.Plan(current, desired);
        }

        /// <summary>
        /// Applies <paramref name="plan"/> one user at a time, then reads the users back: one
        /// result per user of the plan. <paramref name="givenPassword"/> is used with
        /// <see cref="RestorePasswords.Given"/>. Failures are results, never exceptions. When
        /// <paramref name="cancellationToken"/> fires, the users done so far and the one under way
        /// (Failed, Cancelled) are returned, unverified, so that what was changed can be reported
        /// and audited; the rest are left out. <paramref name="userNames"/> is the comparer the plan was made with.
        /// </summary>
        public static async Task<IReadOnlyList<VpnUserRestore>> ApplyAsync(IVpnAppliance appliance, Plan<BackupUser> plan, RestorePasswords passwords, SecureString givenPassword, CancellationToken cancellationToken, StringComparer userNames = null)
        {
            if (appliance == null || plan == null)
            {
                throw new ArgumentNullException(appliance == null ? nameof(appliance) : nameof(plan));
            }

            if (passwords == RestorePasswords.Given && (givenPassword == null || givenPassword.Length == 0))
            {
                throw new ArgumentException("A password must be given to create users with the given password.", nameof(givenPassword));
            }

            var groups = new GroupCheck();
            var generator = new VpnPasswordGenerator();
            var results = new List<KeyValuePair<PlanStep<BackupUser>, VpnUserRestore>>();
            foreach (PlanStep<BackupUser> step in plan.Steps)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return results.Select(r => r.Value).ToList();
                }

                VpnUserRestore result;
                try
                {
                    result = await ApplyStepAsync(appliance, step, passwords, givenPassword, generator, groups, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    result = new VpnUserRestore
                    {
                        UserName = step.Key,
                        Appliance = appliance.Info.Address,
                        Outcome = VpnUserOutcome.Failed,
                        ErrorKind = ApplianceErrorKind.Cancelled,
                        Message = "Stopped before it finished; the user may be partly restored.",
                    };
                    results.Add(new KeyValuePair<PlanStep<BackupUser>, VpnUserRestore>(step, result));
                    return results.Select(r => r.Value).ToList();
                }

                results.Add(new KeyValuePair<PlanStep<BackupUser>, VpnUserRestore>(step, result));
            }

            await VerifyAsync(appliance, results, userNames ?? StringComparer.OrdinalIgnoreCase, cancellationToken).ConfigureAwait(false);
            return results.Select(r => r.Value).ToList();
        }

        private static async Task<VpnUserRestore> ApplyStepAsync(IVpnAppliance appliance, PlanStep<BackupUser> step, RestorePasswords passwords, SecureString givenPassword, VpnPasswordGenerator generator, GroupCheck groups, CancellationToken cancellationToken)
        {
            var result = new VpnUserRestore { UserName = step.Key, Appliance = appliance.Info.Address };
            switch (step.Action)
            {
                case PlanAction.Unchanged:
                    result.Outcome = VpnUserOutcome.NoChange;
                    return result;

                case PlanAction.Remove:
                    return FromChange(result, await VpnUserOperations.RemoveAsync(appliance, step.Key, cancellationToken).ConfigureAwait(false));

                case PlanAction.Add when step.Desired.CannotCreateBecause != null:
                    result.Outcome = VpnUserOutcome.Failed;
                    result.ErrorKind = ApplianceErrorKind.NotSupported;
                    result.Message = $"User '{step.Key}' was not created: {step.Desired.CannotCreateBecause}.";
                    return result;

                case PlanAction.Add:
                    SecureString password = passwords == RestorePasswords.Given ? givenPassword : generator.NewPassword();
                    var create = new VpnUserRequest
                    {
                        UserName = step.Desired.UserName,
                        FullName = step.Desired.FullName,
                        Password = password,
                        Enabled = step.Desired.Enabled,
                        Groups = appliance.SupportsUserGroups ? step.Desired.Groups : null,
                    };
                    FromChange(result, await VpnUserOperations.EnsureAsync(appliance, create, resetPassword: false, groups, cancellationToken).ConfigureAwait(false));
                    if (result.Outcome == VpnUserOutcome.Created)
                    {
                        result.NeedsPassword = passwords == RestorePasswords.None;
                        result.InitialPassword = passwords == RestorePasswords.Generated ? password : null;
                        result.Message = passwords == RestorePasswords.None
                            ? "Created disabled with a random password nobody is told: the backup holds no passwords. Give the user one with Set-RoVpnUser -Password, then enable it with Set-RoVpnUser -Enabled."
                            : passwords == RestorePasswords.Given
                                ? "Created with the password given by -Password: the backup holds no passwords."
                                : "Created with a generated password (InitialPassword): the backup holds no passwords.";
                    }

                    return result;

                default:
                    var update = new VpnUserRequest
                    {
                        UserName = step.Key,
                        Enabled = step.Desired.Enabled,
                        Groups = appliance.SupportsUserGroups ? step.Desired.Groups : null,
                    };
                    // Only changed, never created here: a user removed since the plan is reported, not remade without a password.
                    return FromChange(result, await VpnUserOperations.UpdateExistingAsync(appliance, update, resetPassword: false, groups, cancellationToken).ConfigureAwait(false));
            }
        }

        // Every user of the plan is read back once the restore is done: the result says whether
        // the appliance now holds what the backup has (or no longer holds a pruned user).
        private static async Task VerifyAsync(IVpnAppliance appliance, IReadOnlyList<KeyValuePair<PlanStep<BackupUser>, VpnUserRestore>> results, StringComparer userNames, CancellationToken cancellationToken)
        {
            IReadOnlyList<VpnUser> after;
            try
            {
                after = await appliance.GetUsersAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                foreach (var pair in results.Where(r => r.Value.Succeeded))
                {
                    pair.Value.Message = Join(pair.Value.Message, $"Not verified: the users could not be read back ({error.Message}).");
                }

                return;
            }

            var byName = new Dictionary<string, VpnUser>(userNames);
            foreach (VpnUser user in after)
            {
                byName[user.UserName] = user;
            }

            foreach (var pair in results)
            {
                PlanStep<BackupUser> step = pair.Key;
                VpnUserRestore result = pair.Value;
                if (!result.Succeeded)
                {
                    continue;
                }

                byName.TryGetValue(step.Key, out VpnUser found);
                string mismatch;
                if (step.Action == PlanAction.Remove)
                {
                    mismatch = found == null ? null : "the user is still there";
                }
                else if (found == null)
                {
                    mismatch = "the user is not there";
                }
                else
                {
                    var seen = new BackupUser { UserName = found.UserName, Enabled = found.Enabled, Groups = appliance.SupportsUserGroups ? (IReadOnlyList<string>)(found.Groups ?? new string[0]) : new string[0] };
                    var differences = Compare(seen, step.Desired);
                    mismatch = differences.Count == 0 ? null : string.Join("; ", differences.Select(d => d.ToString()));
                }

                if (mismatch == null)
                {
                    result.Verified = true;
                }
                else
                {
                    result.Outcome = VpnUserOutcome.Failed;
                    result.ErrorKind = ApplianceErrorKind.Failed;
                    result.Message = Join(result.Message, $"Reading back does not confirm the restore: {mismatch}.");
                }
            }
        }

        private static IReadOnlyList<PropertyChange> Compare(BackupUser current, BackupUser desired)
        {
            var changes = new List<PropertyChange>();
            if (current.Enabled != desired.Enabled)
            {
                changes.Add(new PropertyChange(EnabledProperty, current.Enabled.ToString(), desired.Enabled.ToString()));
            }

            // Case matters: ocserv and FortiGate group names are case-sensitive.
            if (!new HashSet<string>(current.Groups ?? new string[0], StringComparer.Ordinal).SetEquals(desired.Groups ?? new string[0]))
            {
                changes.Add(new PropertyChange(GroupsProperty, JoinGroups(current.Groups), JoinGroups(desired.Groups)));
            }

            return changes;
        }

        private static VpnUserRestore FromChange(VpnUserRestore result, VpnUserChange change)
        {
            result.Outcome = change.Outcome;
            result.Changes = change.Changes ?? new string[0];
            result.Message = change.Message;
            result.ErrorKind = change.ErrorKind;
            return result;
        }

        private static string JoinGroups(IEnumerable<string> groups)
        {
            var list = (groups ?? Enumerable.Empty<string>()).ToList();
            return list.Count == 0 ? "(none)" : string.Join(",", list);
        }

        private static string Join(string first, string second) => string.IsNullOrEmpty(first) ? second : first + " " + second;
    }
}
