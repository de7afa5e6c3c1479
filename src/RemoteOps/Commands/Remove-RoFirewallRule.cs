using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Removes rules by name from the rules RemoteOps manages on a firewall, keeping the others.</summary>
    [Cmdlet(VerbsCommon.Remove, "RoFirewallRule", HelpUri = HelpLinks.CmdletReference + "Remove-RoFirewallRule.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FirewallPolicyResult))]
    public sealed class RemoveRoFirewallRuleCommand : FirewallCmdletBase
    {
        private readonly List<string> names = new List<string>();

        /// <summary>The rules to remove (exact names; from the pipeline, Get-RoFirewallRule's output).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        /// <summary>Apply with a confirm window: roll the change back after this many seconds unless Confirm-RoFirewallChange keeps it.</summary>
        [Parameter]
        [ValidateRange(FirewallConfirmedChange.MinimumSeconds, FirewallConfirmedChange.MaximumSeconds)]
        public int ConfirmWithinSec { get; set; }

        /// <summary>The audit log to append to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord() => names.AddRange(Name);

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            FirewallPolicy policy = Run(token => Firewall.GetPolicyAsync(token), ResolvedConnection);
            foreach (string missing in names.Where(n => policy.Rules.All(r => r.Name != n)).Distinct())
            {
                WriteError(ErrorRecords.For(new ApplianceException(ApplianceErrorKind.NotFound,
                    $"{ResolvedConnection} has no rule named '{missing}'.", "List the rules with Get-RoFirewallRule."), missing, ErrorFamily));
            }

            var remove = new HashSet<string>(names);
            if (!policy.Rules.Any(r => remove.Contains(r.Name)))
            {
                return;
            }

            policy.Rules = policy.Rules.Where(r => !remove.Contains(r.Name)).ToList();
            SetPolicy(policy, AuditLogPath, null, $"Remove the rule(s) {string.Join(", ", names.Distinct())}", ConfirmWithinSec);
        }
    }
}
