using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Removes rules by name from the rules RemoteOps manages on a firewall, keeping the others.</summary>
    [Cmdlet(VerbsCommon.Remove, "RoFirewallRule", HelpUri = HelpLinks.CmdletReference + "Remove-RoFirewallRule.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FirewallPolicyResult))]
    public sealed class RemoveRoFirewallRuleCommand : FirewallPolicyCmdletBase
    {
        private readonly List<string> names = new List<string>();
        private bool namedOnCommandLine;

        /// <summary>The rules to remove (exact names; from the pipeline, Get-RoFirewallRule's output).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        /// <inheritdoc />
        protected override string What => $"Remove the rule(s) {string.Join(", ", names.Distinct())}";

        /// <inheritdoc />
        protected override void BeginProcessing() => namedOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Name));

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // A connection on the pipeline has a Name too (the device's): that is never a rule name.
            bool connectionFromPipeline = !namedOnCommandLine && Connection != null && Name != null && Connection.Any(c => Name.Contains(c.Name));
            if (!connectionFromPipeline)
            {
                names.AddRange(Name);
            }

            base.ProcessRecord();
        }

        /// <inheritdoc />
        protected override void ValidateInput()
        {
            if (names.Count == 0)
            {
                ThrowTerminatingError(new ErrorRecord(new System.ArgumentException("Name the rules to remove with -Name (connections on the pipeline do not name rules)."),
                    "FirewallNoRuleName", ErrorCategory.InvalidArgument, null));
            }
        }

        /// <inheritdoc />
        protected override IEnumerable<ApplianceException> Notes(ApplianceConnection connection, FirewallPolicy current) =>
            names.Where(n => current.Rules.All(r => r.Name != n)).Distinct().Select(missing => new ApplianceException(ApplianceErrorKind.NotFound,
                $"{connection} has no rule named '{missing}'.", "List the rules with Get-RoFirewallRule."));

        /// <inheritdoc />
        protected override FirewallPolicy Desired(ApplianceConnection connection, FirewallPolicy current)
        {
            var remove = new HashSet<string>(names);
            if (!current.Rules.Any(r => remove.Contains(r.Name)))
            {
                return null;
            }

            current.Rules = current.Rules.Where(r => !remove.Contains(r.Name)).ToList();
            return current;
        }
    }
}
