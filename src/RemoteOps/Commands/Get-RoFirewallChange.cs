using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Lists the firewall change waiting for confirmation, and changes rolled back by the device's timer since last asked (which it also records in the audit log).</summary>
    [Cmdlet(VerbsCommon.Get, "RoFirewallChange", HelpUri = HelpLinks.CmdletReference + "Get-RoFirewallChange.md")]
    [OutputType(typeof(FirewallChange))]
    public sealed class GetRoFirewallChangeCommand : FirewallCmdletBase
    {
        /// <summary>Only this change.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^[0-9a-f]{12}$")]
        public string ChangeId { get; set; }

        /// <summary>The audit log to append to (a host rollback seen for the first time is recorded).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IReadOnlyList<FirewallChange> changes = RunOrStop(token => ConfirmedChanges.GetChangesAsync(token), ResolvedConnection);
            RecordSettled(new AuditTrail(this, AuditLogPath, null), changes.Where(c => c.State != FirewallChangeState.Pending && c.RollbackGuarantee == FirewallRollbackGuarantee.HostTimer));
            foreach (FirewallChange change in changes.Where(c => ChangeId == null || c.ChangeId == ChangeId))
            {
                WriteObject(change);
            }
        }
    }
}
