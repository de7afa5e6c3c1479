using System.Management.Automation;
using System.Security;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Enables, disables, re-groups or resets the password of existing VPN users.</summary>
    [Cmdlet(VerbsCommon.Set, "RoVpnUser", HelpUri = HelpLinks.CmdletReference + "Set-RoVpnUser.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VpnUserChange))]
    public sealed class SetRoVpnUserCommand : VpnUserCmdletBase
    {
        private readonly GroupCheck groups = new GroupCheck();

        /// <summary>-Enabled enables, -Enabled:$false disables (and ends the user's sessions); omitted leaves it.</summary>
        /// <remarks>
        /// Not bound from piped objects on purpose: PowerShell keeps a pipeline-bound parameter
        /// marked as given for later objects, which would disable every row after one that said so.
        /// </remarks>
        [Parameter]
        public SwitchParameter Enabled { get; set; }

        /// <summary>A new password (SecureString); the user's other settings stay.</summary>
        [Parameter]
        public SecureString Password { get; set; }

        /// <summary>With -Password: make the user choose a new password at next sign-in, where supported.</summary>
        [Parameter]
        public SwitchParameter ChangePasswordAtSignIn { get; set; }

        /// <summary>The complete wanted list of groups (ocserv, FortiGate); Connect Secure realms are only checked to exist.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Groups", "Realm")]
        public string[] Group { get; set; }

        /// <inheritdoc />
        protected override string ProgressActivity => "Set-RoVpnUser";

        /// <inheritdoc />
        protected override string AuditAction => "Set-RoVpnUser";

        /// <inheritdoc />
        protected override System.Collections.Generic.IEnumerable<string> SecretsForAudit()
        {
            if (Password != null && Password.Length > 0)
            {
                yield return Core.Audit.SecretText.Reveal(Password);
            }
        }

        /// <inheritdoc />
        protected override void ProcessRow()
        {
            if (!AcceptUserName(UserName))
            {
                return;
            }

            bool? enabled = MyInvocation.BoundParameters.ContainsKey(nameof(Enabled)) ? Enabled.IsPresent : (bool?)null;
            string[] wantedGroups = SplitGroups(Group);
            if (enabled == null && Password == null && wantedGroups == null)
            {
                RejectRow("(none)", "nothing to change: give -Enabled, -Password or -Group.", UserName);
                return;
            }

            var request = new VpnUserRequest
            {
                UserName = UserName,
                Password = Password,
                Groups = wantedGroups,
                Enabled = enabled,
                ChangePasswordAtSignIn = ChangePasswordAtSignIn,
            };
            IVpnAppliance appliance = Vpn;
            bool reset = Password != null;
            string name = UserName;
            // Reads and plans in parallel; ShouldProcess then names the steps this user needs.
            ScheduleRow(name, token => VpnUserOperations.PlanUpdateExistingAsync(appliance, request, reset, groups, token));
        }
    }
}
