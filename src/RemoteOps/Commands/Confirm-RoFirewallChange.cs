using System.Management.Automation;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Keeps a firewall change applied with -ConfirmWithinSec: its rollback is called off.</summary>
    [Cmdlet(VerbsLifecycle.Confirm, "RoFirewallChange", HelpUri = HelpLinks.CmdletReference + "Confirm-RoFirewallChange.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FirewallChange))]
    public sealed class ConfirmRoFirewallChangeCommand : FirewallChangeCmdletBase
    {
        /// <inheritdoc />
        protected override string Verb => "Keep";

        /// <inheritdoc />
        protected override FirewallChange Settle(FirewallConfirmedChange changes, string changeId) => RunOrStop(token => changes.ConfirmAsync(changeId, token), ResolvedConnection);
    }
}
