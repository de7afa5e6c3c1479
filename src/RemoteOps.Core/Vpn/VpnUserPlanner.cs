using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Appliances.Planning;

namespace RemoteOps.Core.Vpn
{
    /// <summary>One step towards the wanted state of a user.</summary>
    public sealed class VpnUserStep
    {
        internal VpnUserStep(VpnUserStepKind kind, string description, string sentence)
        {
            Kind = kind;
            Description = description;
            Sentence = sentence;
        }

        /// <summary>What the step does.</summary>
        public VpnUserStepKind Kind { get; }

        /// <summary>The step in short words, as the result's Changes and the audit log list it ("groups: staff -> staff,vpn-eu").</summary>
        public string Description { get; }

        /// <summary>
        /// The step as -WhatIf and -Confirm say it ("Set groups staff -> staff, vpn-eu"), never
        /// with a password; null when the step before already says it (the disable after a
        /// create of a disabled user).
        /// </summary>
        public string Sentence { get; }
    }

    /// <summary>The kinds of user steps.</summary>
    public enum VpnUserStepKind
    {
        /// <summary>Create the user.</summary>
        Create,

        /// <summary>Enable the user.</summary>
        Enable,

        /// <summary>Disable the user (ends sessions).</summary>
        Disable,

        /// <summary>Replace the user's groups.</summary>
        SetGroups,

        /// <summary>Set a new password.</summary>
        SetPassword,

        /// <summary>Remove the user (ends sessions).</summary>
        Remove,
    }

    /// <summary>
    /// Works out the fewest steps that turn the user as it is into the user as wanted, so that
    /// running the same request twice changes nothing the second time. It is the shared
    /// desired-state planner applied to one user: create when absent, else one step per property
    /// that differs; or, for a removal, remove when present. Each step says itself in words for
    /// -WhatIf and -Confirm, never with a password.
    /// </summary>
    public static class VpnUserPlanner
    {
        private const string EnabledProperty = "enabled";
        private const string GroupsProperty = "groups";
        private const string PasswordProperty = "password";

        /// <summary>The steps; empty when the user is already as wanted.</summary>
        /// <param name="existing">The user as it is, or null when absent.</param>
        /// <param name="wanted">The wanted state; null fields mean "leave as it is".</param>
        /// <param name="resetPassword">Set the password even when the user exists (passwords cannot be read back to compare).</param>
        public static IReadOnlyList<VpnUserStep> Plan(VpnUser existing, VpnUserRequest wanted, bool resetPassword)
        {
            if (wanted == null)
            {
                throw new ArgumentNullException(nameof(wanted));
            }

            // The appliance already matched the name by its own rules when it found the user.
            var planner = new DesiredStatePlanner<UserState>(u => u.UserName, (current, desired) => Compare(current, desired, resetPassword), StringComparer.OrdinalIgnoreCase);
            var desiredState = new UserState(wanted.UserName, wanted.Enabled, wanted.Groups);
            Plan<UserState> plan = planner.Plan(
                existing == null ? new UserState[0] : new[] { new UserState(wanted.UserName, existing.Enabled, existing.Groups) },
                new[] { desiredState });

            var steps = new List<VpnUserStep>();
            PlanStep<UserState> step = plan.Steps[0];
            if (step.Action == PlanAction.Add)
            {
                steps.Add(new VpnUserStep(VpnUserStepKind.Create, "create", CreateSentence(wanted)));
                if (wanted.Enabled == false)
                {
                    // The create already says "disabled"; this step only makes sure of it where a driver creates users enabled.
                    steps.Add(new VpnUserStep(VpnUserStepKind.Disable, "disable", null));
                }

                return steps;
            }

            foreach (PropertyChange change in step.Changes)
            {
                steps.Add(ToStep(change, existing, wanted));
            }

            return steps;
        }

        /// <summary>The steps to remove a user: none when it is already absent.</summary>
        /// <param name="existing">The user as it is, or null when absent.</param>
        /// <param name="userGroups">True where users have groups of their own (not on Connect Secure, whose users show roles).</param>
        public static IReadOnlyList<VpnUserStep> PlanRemoval(VpnUser existing, bool userGroups)
        {
            if (existing == null)
            {
                return new VpnUserStep[0];
            }

            // A user that is there and not wanted is one removal: the shared planner would only say the same.
            return new[] { new VpnUserStep(VpnUserStepKind.Remove, "removed (sessions ended)", RemoveSentence(existing, userGroups)) };
        }

        private static string RemoveSentence(VpnUser existing, bool userGroups)
        {
            string state = existing.Enabled ? "enabled" : "disabled";
            string groups = userGroups && existing.Groups != null && existing.Groups.Length > 0 ? "; groups: " + GroupWords(existing.Groups) : string.Empty;
            return $"Remove VPN user ({state}{groups}) and end its sessions";
        }

        private static string CreateSentence(VpnUserRequest wanted)
        {
            var parts = new List<string>();
            if (wanted.Groups != null)
            {
                parts.Add("groups: " + GroupWords(wanted.Groups));
            }

            parts.Add(wanted.Enabled == false ? "disabled" : "enabled");
            if (wanted.ChangePasswordAtSignIn)
            {
                parts.Add("new password at first sign-in");
            }

            return $"Create VPN user ({string.Join("; ", parts)})";
        }

        private static IReadOnlyList<PropertyChange> Compare(UserState current, UserState desired, bool resetPassword)
        {
            var changes = new List<PropertyChange>();
            if (desired.Enabled.HasValue && desired.Enabled.Value != current.Enabled)
            {
                changes.Add(new PropertyChange(EnabledProperty, current.Enabled.ToString(), desired.Enabled.ToString()));
            }

            if (desired.Groups != null && !SameGroups(current.Groups, desired.Groups))
            {
                changes.Add(new PropertyChange(GroupsProperty, Join(current.Groups), Join(desired.Groups)));
            }

            if (resetPassword)
            {
                // The value is never part of a plan: passwords cannot be read back, and a plan is shown and logged.
                changes.Add(new PropertyChange(PasswordProperty, null, null));
            }

            return changes;
        }

        private static VpnUserStep ToStep(PropertyChange change, VpnUser current, VpnUserRequest wanted)
        {
            switch (change.Name)
            {
                case EnabledProperty:
                    return wanted.Enabled == true
                        ? new VpnUserStep(VpnUserStepKind.Enable, "enable", "Enable VPN user")
                        : new VpnUserStep(VpnUserStepKind.Disable, "disable (ends the user's sessions)", "Disable VPN user (ends its sessions)");
                case GroupsProperty:
                    return new VpnUserStep(VpnUserStepKind.SetGroups, $"groups: {change.From} -> {change.To}", $"Set groups {GroupWords(current.Groups)} -> {GroupWords(wanted.Groups)}");
                default:
                    return new VpnUserStep(VpnUserStepKind.SetPassword, "reset password", wanted.ChangePasswordAtSignIn ? "Reset password (new one at next sign-in)" : "Reset password");
            }
        }

        /// <summary>True when two group lists hold the same names; case matters: ocserv group names are case-sensitive.</summary>
        internal static bool SameGroups(IEnumerable<string> a, IEnumerable<string> b)
        {
            var left = new HashSet<string>(a ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
            return left.SetEquals(b ?? Enumerable.Empty<string>());
        }

        private static string Join(IEnumerable<string> groups)
        {
            var list = (groups ?? Enumerable.Empty<string>()).ToList();
            return list.Count == 0 ? "(none)" : string.Join(",", list);
        }

        /// <summary>A group list in words ("staff, vpn-eu", "none").</summary>
        internal static string GroupWords(IEnumerable<string> groups)
        {
            var list = (groups ?? Enumerable.Empty<string>()).ToList();
            return list.Count == 0 ? "none" : string.Join(", ", list);
        }

        private sealed class UserState
        {
            internal UserState(string userName, bool? enabled, IEnumerable<string> groups)
            {
                UserName = userName;
                Enabled = enabled;
                Groups = groups?.ToList();
            }

            internal string UserName { get; }

            internal bool? Enabled { get; }

            internal IReadOnlyList<string> Groups { get; }
        }
    }
}
