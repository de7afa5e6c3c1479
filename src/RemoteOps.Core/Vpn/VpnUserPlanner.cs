using System;
using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Vpn
{
    /// <summary>One step towards the wanted state of a user.</summary>
    public sealed class VpnUserStep
    {
        internal VpnUserStep(VpnUserStepKind kind, string description)
        {
            Kind = kind;
            Description = description;
        }

        /// <summary>What the step does.</summary>
        public VpnUserStepKind Kind { get; }

        /// <summary>The step in words, for -WhatIf, verbose output and the audit log.</summary>
        public string Description { get; }
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
    }

    /// <summary>
    /// Works out the fewest steps that turn the user as it is into the user as wanted, so that
    /// running the same request twice changes nothing the second time.
    /// </summary>
    public static class VpnUserPlanner
    {
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

            var steps = new List<VpnUserStep>();
            if (existing == null)
            {
                steps.Add(new VpnUserStep(VpnUserStepKind.Create, "create"));
                if (wanted.Enabled == false)
                {
                    steps.Add(new VpnUserStep(VpnUserStepKind.Disable, "disable"));
                }

                return steps;
            }

            if (wanted.Enabled.HasValue && wanted.Enabled.Value != existing.Enabled)
            {
                steps.Add(wanted.Enabled.Value
                    ? new VpnUserStep(VpnUserStepKind.Enable, "enable")
                    : new VpnUserStep(VpnUserStepKind.Disable, "disable (ends the user's sessions)"));
            }

            if (wanted.Groups != null && !SameGroups(existing.Groups, wanted.Groups))
            {
                steps.Add(new VpnUserStep(
                    VpnUserStepKind.SetGroups,
                    $"groups: {Join(existing.Groups)} -> {Join(wanted.Groups)}"));
            }

            if (resetPassword)
            {
                steps.Add(new VpnUserStep(VpnUserStepKind.SetPassword, "reset password"));
            }

            return steps;
        }

        // Case matters: ocserv group names are case-sensitive.
        private static bool SameGroups(IEnumerable<string> a, IEnumerable<string> b)
        {
            var left = new HashSet<string>(a ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
            return left.SetEquals(b ?? Enumerable.Empty<string>());
        }

        private static string Join(IEnumerable<string> groups)
        {
            var list = (groups ?? Enumerable.Empty<string>()).ToList();
            return list.Count == 0 ? "(none)" : string.Join(",", list);
        }
    }
}
