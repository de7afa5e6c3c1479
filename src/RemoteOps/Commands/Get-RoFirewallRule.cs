using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Lists the firewall rules RemoteOps manages on a device, in the order they are checked.</summary>
    [Cmdlet(VerbsCommon.Get, "RoFirewallRule", HelpUri = HelpLinks.CmdletReference + "Get-RoFirewallRule.md")]
    [OutputType(typeof(FirewallRule))]
    public sealed class GetRoFirewallRuleCommand : FirewallCmdletBase
    {
        /// <summary>Only rules whose name matches one of these (wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            FirewallPolicy policy = RunOrStop(token => Firewall.GetPolicyAsync(token), ResolvedConnection);
            WildcardPattern[] patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            foreach (FirewallRule rule in policy.Rules.Where(r => patterns.Any(p => p.IsMatch(r.Name))))
            {
                WriteObject(rule);
            }
        }
    }
}
