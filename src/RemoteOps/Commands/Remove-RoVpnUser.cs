using System.Management.Automation;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Removes VPN users and ends their sessions; a user already gone is reported as NoChange.</summary>
    [Cmdlet(VerbsCommon.Remove, "RoVpnUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(VpnUserChange))]
    public sealed class RemoveRoVpnUserCommand : VpnUserCmdletBase
    {
        /// <summary>The sign-in name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "User", "SamAccountName", "Login")]
        [AllowEmptyString]
        public string UserName { get; set; }

        /// <summary>Remove without asking, for scripts and runbooks (same as -Confirm:$false).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override string ProgressActivity => "Remove-RoVpnUser";

        /// <inheritdoc />
        protected override string AuditAction => "Remove-RoVpnUser";

        /// <inheritdoc />
        protected override void ProcessRow()
        {
            if (!VpnUserName.IsValid(UserName))
            {
                RejectRow("UserName", $"'{UserName}' is not a valid VPN user name: use {VpnUserName.ValidForm}.", UserName);
                return;
            }

            string target = $"{UserName}@{Appliance.Address}";
            // -Force skips the confirmation that ConfirmImpact High asks for, but -WhatIf still wins.
            bool whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf") || LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            if ((!Force || whatIf) && !ShouldProcess(target, "Remove VPN user and end its sessions"))
            {
                return;
            }

            IVpnAppliance appliance = Appliance.Appliance;
            string name = UserName;
            ScheduleRow(name, token => VpnUserOperations.RemoveAsync(appliance, name, token));
        }
    }
}
