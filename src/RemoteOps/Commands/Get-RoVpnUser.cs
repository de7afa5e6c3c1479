using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Lists VPN users of an appliance.</summary>
    [Cmdlet(VerbsCommon.Get, "RoVpnUser", HelpUri = HelpLinks.CmdletReference + "Get-RoVpnUser.md")]
    [OutputType(typeof(VpnUser))]
    public sealed class GetRoVpnUserCommand : VpnCmdletBase
    {
        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.VpnUsers;

        /// <summary>Only users whose name matches these wildcard patterns; all when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "User")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] UserName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApplianceConnection connection = ResolvedConnection;
            var users = RunOrWriteError(token => Vpn.GetUsersAsync(token), connection);
            if (users == null)
            {
                return;
            }

            var patterns = (UserName ?? new[] { "*" }).Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToList();
            WriteObject(users.Where(u => patterns.Any(p => p.IsMatch(u.UserName))), enumerateCollection: true);
        }
    }
}
