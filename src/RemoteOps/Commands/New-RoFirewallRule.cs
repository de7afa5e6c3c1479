using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Adds one rule to the rules RemoteOps manages on a firewall, keeping the others.</summary>
    [Cmdlet(VerbsCommon.New, "RoFirewallRule", HelpUri = HelpLinks.CmdletReference + "New-RoFirewallRule.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FirewallPolicyResult))]
    public sealed class NewRoFirewallRuleCommand : FirewallCmdletBase
    {
        /// <summary>The new rule's name, unique on the firewall.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Accept, Drop or Reject.</summary>
        [Parameter(Mandatory = true)]
        public FirewallAction Action { get; set; }

        /// <summary>Input (to the firewall) or Forward (through it).</summary>
        [Parameter]
        public FirewallChain Chain { get; set; } = FirewallChain.Forward;

        /// <summary>Source addresses, networks, ranges or one address object.</summary>
        [Parameter]
        public string[] Source { get; set; }

        /// <summary>Destination addresses, networks, ranges or one address object.</summary>
        [Parameter]
        public string[] Destination { get; set; }

        /// <summary>Any, Tcp, Udp or Icmp.</summary>
        [Parameter]
        public FirewallProtocol Protocol { get; set; } = FirewallProtocol.Any;

        /// <summary>Destination ports and ranges (Tcp and Udp).</summary>
        [Parameter]
        public string[] Port { get; set; }

        /// <summary>Free text kept with the rule.</summary>
        [Parameter]
        public string Comment { get; set; }

        /// <summary>Store the rule without applying it.</summary>
        [Parameter]
        public SwitchParameter Disabled { get; set; }

        /// <summary>Insert before this rule instead of at the end.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Before { get; set; }

        /// <summary>Apply with a confirm window: roll the change back after this many seconds unless Confirm-RoFirewallChange keeps it.</summary>
        [Parameter]
        [ValidateRange(FirewallConfirmedChange.MinimumSeconds, FirewallConfirmedChange.MaximumSeconds)]
        public int ConfirmWithinSec { get; set; }

        /// <summary>The audit log to append to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var rule = new FirewallRule
            {
                Name = Name,
                Action = Action,
                Chain = Chain,
                Source = (Source ?? new string[0]).ToList(),
                Destination = (Destination ?? new string[0]).ToList(),
                Protocol = Protocol,
                Ports = (Port ?? new string[0]).ToList(),
                Comment = Comment,
                Enabled = !Disabled,
            };

            FirewallPolicy policy = Run(token => Firewall.GetPolicyAsync(token), ResolvedConnection);
            if (policy.Rules.Any(r => r.Name == Name))
            {
                ThrowTerminatingError(ErrorRecords.For(new ApplianceException(ApplianceErrorKind.AlreadyExists,
                    $"{ResolvedConnection} already has a rule named '{Name}'.", "Change it with Set-RoFirewallPolicy, or remove it first with Remove-RoFirewallRule."), Name, ErrorFamily));
            }

            int at = policy.Rules.Count;
            if (Before != null)
            {
                at = policy.Rules.ToList().FindIndex(r => r.Name == Before);
                if (at < 0)
                {
                    ThrowTerminatingError(ErrorRecords.For(new ApplianceException(ApplianceErrorKind.NotFound,
                        $"{ResolvedConnection} has no rule named '{Before}' (-Before).", "List the rules with Get-RoFirewallRule."), Before, ErrorFamily));
                }
            }

            policy.Rules.Insert(at, rule);
            try
            {
                FirewallPolicyValidator.Normalize(policy);
            }
            catch (System.ArgumentException bad)
            {
                ThrowTerminatingError(new ErrorRecord(bad, "FirewallInvalidRule", ErrorCategory.InvalidArgument, Name));
            }

            SetPolicy(policy, AuditLogPath, null, $"Add the rule '{Name}'", ConfirmWithinSec);
        }
    }
}
