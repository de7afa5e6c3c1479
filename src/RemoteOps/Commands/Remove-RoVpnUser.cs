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
        /// <remarks>-Force skips the confirmation that ConfirmImpact High asks for, but -WhatIf still wins.</remarks>
        protected override bool SkipsConfirmation => Force;

        /// <inheritdoc />
        protected override void ProcessRow()
        {
            if (!AcceptUserName(UserName))
            {
                return;
            }

            // The user is read first, so ShouldProcess names what is removed, or that it is already gone.
            IVpnAppliance appliance = Vpn;
            string name = UserName;
            ScheduleRow(name, token => VpnUserOperations.PlanRemovalAsync(appliance, name, token));
        }
    }
}
