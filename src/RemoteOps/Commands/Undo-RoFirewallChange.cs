using System.Management.Automation;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Rolls a firewall change applied with -ConfirmWithinSec back now, before its deadline.</summary>
    [Cmdlet(VerbsCommon.Undo, "RoFirewallChange", HelpUri = HelpLinks.CmdletReference + "Undo-RoFirewallChange.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(FirewallChange))]
    public sealed class UndoRoFirewallChangeCommand : FirewallChangeCmdletBase
    {
        /// <inheritdoc />
        protected override string Verb => "Roll back";

        /// <inheritdoc />
        protected override FirewallChange Settle(FirewallConfirmedChange changes, string changeId) => RunOrStop(token => changes.UndoAsync(changeId, token), ResolvedConnection);
    }
}
