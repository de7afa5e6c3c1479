using System.Management.Automation;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Removes VPN users and ends their sessions; a user already gone is reported as NoChange.</summary>
    [Cmdlet(VerbsCommon.Remove, "RoVpnUser", HelpUri = HelpLinks.CmdletReference + "Remove-RoVpnUser.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(VpnUserChange))]
    public sealed class RemoveRoVpnUserCommand : VpnUserCmdletBase
    {
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
            if (!AcceptUserName(UserName))
            {
                return;
            }

            string target = $"{UserName}@{Appliance.Address}";
            // -Force skips the confirmation that ConfirmImpact High asks for, but -WhatIf still wins.
            bool whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf") || LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            if ((!Force || whatIf) && !ShouldProcess(target, "Remove VPN user and end its sessions"))
            {
                return;
            }

            IVpnAppliance appliance = Vpn;
            string name = UserName;
            ScheduleRow(name, token => VpnUserOperations.RemoveAsync(appliance, name, token));
        }
    }
}
