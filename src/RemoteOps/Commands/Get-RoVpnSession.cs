using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Lists active VPN sessions (every page), optionally of one user.</summary>
    [Cmdlet(VerbsCommon.Get, "RoVpnSession", HelpUri = HelpLinks.CmdletReference + "Get-RoVpnSession.md")]
    [OutputType(typeof(VpnSession))]
    public sealed class GetRoVpnSessionCommand : VpnCmdletBase
    {
        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.VpnSessions;

        /// <summary>Only this user's sessions.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "User")]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (UserName != null && !VpnUserName.IsValid(UserName))
            {
                WriteError(ArgumentErrors.Invalid("InvalidUserName", $"'{UserName}' is not a valid VPN user name: use {VpnUserName.ValidForm}.", UserName));
                return;
            }

            ApplianceConnection connection = ResolvedConnection;
            var sessions = RunOrWriteError(token => Vpn.GetSessionsAsync(UserName, token), UserName ?? (object)connection);
            if (sessions != null)
            {
                WriteObject(sessions, enumerateCollection: true);
            }
        }
    }
}
