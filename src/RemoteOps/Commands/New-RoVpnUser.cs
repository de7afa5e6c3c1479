using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text.RegularExpressions;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Creates VPN users, or brings existing ones to the wanted state; safe to run again.</summary>
    [Cmdlet(VerbsCommon.New, "RoVpnUser", HelpUri = HelpLinks.CmdletReference + "New-RoVpnUser.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(VpnUserChange))]
    public sealed class NewRoVpnUserCommand : VpnUserCmdletBase
    {
        private static readonly Regex GroupName = new Regex(@"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$", RegexOptions.CultureInvariant);
        private readonly GroupCheck groups = new GroupCheck();
        private readonly VpnPasswordGenerator passwords = new VpnPasswordGenerator();
        private readonly Dictionary<string, int> firstRowOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<VpnUserChange, SecureString> generated = new Dictionary<VpnUserChange, SecureString>();
        private readonly object generatedGate = new object();

        /// <summary>The person's full name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DisplayName")]
        public string FullName { get; set; }

        /// <summary>Groups (ocserv, FortiGate) or realms (Connect Secure); a CSV cell may list several, separated by ; or ,.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Groups", "Realm")]
        public string[] Group { get; set; }

        /// <summary>The initial password, as SecureString (for example from Get-Secret or Read-Host -AsSecureString).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SecureStringOnly]
        public SecureString Password { get; set; }

        /// <summary>Generate a random initial password per new user; it is returned as the SecureString property InitialPassword.</summary>
        [Parameter]
        public SwitchParameter GeneratePassword { get; set; }

        /// <summary>Make new users choose their own password at first sign-in, where the appliance supports it.</summary>
        [Parameter]
        public SwitchParameter ChangePasswordAtSignIn { get; set; }

        /// <summary>Create the users disabled.</summary>
        [Parameter]
        public SwitchParameter Disabled { get; set; }

        /// <inheritdoc />
        protected override string ProgressActivity => "New-RoVpnUser";

        /// <inheritdoc />
        protected override string AuditAction => "New-RoVpnUser";

        /// <inheritdoc />
        protected override void ProcessRow()
        {
            if (!AcceptUserName(UserName))
            {
                return;
            }

            // Rows run in parallel: without this, which of two rows for one user failed, and
            // whose password the user got, would depend on timing. The later row is refused.
            if (firstRowOf.TryGetValue(UserName, out int firstRow))
            {
                RejectRow("UserName", $"'{UserName}' already appears in row {firstRow} (names are compared ignoring case); this later row was not sent.", UserName);
                return;
            }

            firstRowOf[UserName] = Row;

            string[] wantedGroups = SplitGroups(Group);
            string badGroup = wantedGroups?.FirstOrDefault(g => !GroupName.IsMatch(g));
            if (badGroup != null)
            {
                RejectRow("Group", $"'{badGroup}' is not a valid group or realm name: use 1-64 letters, digits, spaces and . _ @ -.", badGroup);
                return;
            }

            SecureString password = Password;
            bool madeUp = false;
            if (password == null && GeneratePassword)
            {
                password = passwords.NewPassword();
                madeUp = true;
            }

            var request = new VpnUserRequest
            {
                UserName = UserName,
                FullName = FullName,
                Password = password,
                Groups = wantedGroups,
                Enabled = Disabled ? false : (bool?)null,
                ChangePasswordAtSignIn = ChangePasswordAtSignIn,
            };
            IVpnAppliance appliance = Vpn;
            // Reads and plans in parallel; ShouldProcess then names the steps this user needs.
            ScheduleRow(
                UserName,
                token => VpnUserOperations.PlanEnsureAsync(appliance, request, resetPassword: false, groups, token),
                change =>
                {
                    if (madeUp && change.Created)
                    {
                        lock (generatedGate)
                        {
                            generated[change] = password;
                        }
                    }
                });
        }

        /// <inheritdoc />
        protected override void AddOutputProperties(PSObject output, VpnUserChange result)
        {
            SecureString password = null;
            lock (generatedGate)
            {
                if (generated.TryGetValue(result, out password))
                {
                    generated.Remove(result);
                }
            }

            if (GeneratePassword)
            {
                output.Properties.Add(new PSNoteProperty("InitialPassword", password));
            }
        }
    }
}
