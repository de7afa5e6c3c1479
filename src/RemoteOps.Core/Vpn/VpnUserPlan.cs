using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// What a user operation would do to one user on one appliance, worked out from the user as
    /// read: the steps (none when the user is already as wanted), or why nothing can be done.
    /// Made by <see cref="VpnUserOperations"/> before anything changes, so that -WhatIf and
    /// -Confirm can name the steps; applied with <see cref="VpnUserOperations.ApplyAsync"/>.
    /// </summary>
    public sealed class VpnUserPlan
    {
        private const string AlreadyAsWanted = "No change: VPN user already as wanted";
        private const string AlreadyAbsent = "No change: VPN user already absent";

        internal VpnUserPlan(string userName, string appliance, VpnUserRequest wanted, IReadOnlyList<VpnUserStep> steps, VpnUserChange refusal, bool removal)
        {
            UserName = userName;
            Appliance = appliance;
            Wanted = wanted;
            Steps = steps ?? new VpnUserStep[0];
            Refusal = refusal;
            IsRemoval = removal;
        }

        /// <summary>The user.</summary>
        public string UserName { get; }

        /// <summary>The appliance.</summary>
        public string Appliance { get; }

        /// <summary>The steps, in the order they apply; empty when nothing changes or the plan was refused.</summary>
        public IReadOnlyList<VpnUserStep> Steps { get; }

        /// <summary>The Failed result when the plan could not be made (bad input, unknown group, no such user, appliance not answering); else null.</summary>
        public VpnUserChange Refusal { get; }

        /// <summary>True when the plan has steps to apply.</summary>
        public bool ChangesSomething => Refusal == null && Steps.Count > 0;

        /// <summary>user@appliance, the target that -WhatIf, -Confirm and the audit log name.</summary>
        public string Target => $"{UserName}@{Appliance}";

        /// <summary>
        /// The steps in words for -WhatIf and -Confirm ("Create VPN user (groups: staff;
        /// enabled)", "Enable VPN user; Set groups staff -> staff, vpn-eu"), or that nothing
        /// changes. Never holds a password.
        /// </summary>
        public string Operation => Refusal != null ? Refusal.Message
            : Steps.Count == 0 ? (IsRemoval ? AlreadyAbsent : AlreadyAsWanted)
            : string.Join("; ", Steps.Where(s => s.Sentence != null).Select(s => s.Sentence));

        internal VpnUserRequest Wanted { get; }

        internal bool IsRemoval { get; }

        /// <summary>
        /// The result of a plan that is not applied: the refusal, NoChange, or Planned (under
        /// -WhatIf, or when the confirmation was declined) with the steps that would be made in Changes.
        /// </summary>
        public VpnUserChange Unapplied()
        {
            if (Refusal != null)
            {
                return Refusal;
            }

            return new VpnUserChange
            {
                UserName = UserName,
                Appliance = Appliance,
                Outcome = Steps.Count == 0 ? VpnUserOutcome.NoChange : VpnUserOutcome.Planned,
                Changes = Steps.Select(s => s.Description).ToArray(),
            };
        }
    }
}
