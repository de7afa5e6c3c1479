using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Adds one rule to the rules RemoteOps manages on a firewall, keeping the others.</summary>
    [Cmdlet(VerbsCommon.New, "RoFirewallRule", HelpUri = HelpLinks.CmdletReference + "New-RoFirewallRule.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FirewallPolicyResult))]
    public sealed class NewRoFirewallRuleCommand : FirewallPolicyCmdletBase
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

        /// <inheritdoc />
        protected override string What => $"Add the rule '{Name}'";

        /// <inheritdoc />
        protected override void ValidateInput()
        {
            try
            {
                FirewallPolicyValidator.Normalize(new FirewallPolicy { Rules = { NewRule() } });
            }
            catch (System.ArgumentException bad) when (!bad.Message.Contains("address object"))
            {
                // An address object name can only be checked against the firewall's own objects.
                ThrowTerminatingError(new ErrorRecord(bad, "FirewallInvalidRule", ErrorCategory.InvalidArgument, Name));
            }
        }

        /// <inheritdoc />
        protected override FirewallPolicy Desired(ApplianceConnection connection, FirewallPolicy current)
        {
            if (current.Rules.Any(r => r.Name == Name))
            {
                throw new ApplianceException(ApplianceErrorKind.AlreadyExists,
                    $"{connection} already has a rule named '{Name}'.", "Change it with Set-RoFirewallPolicy, or remove it first with Remove-RoFirewallRule.");
            }

            int at = current.Rules.Count;
            if (Before != null)
            {
                at = current.Rules.ToList().FindIndex(r => r.Name == Before);
                if (at < 0)
                {
                    throw new ApplianceException(ApplianceErrorKind.NotFound,
                        $"{connection} has no rule named '{Before}' (-Before).", "List the rules with Get-RoFirewallRule.");
                }
            }

            current.Rules.Insert(at, NewRule());
            return current;
        }

        private FirewallRule NewRule() => new FirewallRule
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
    }
}
