using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Infrastructure
{
    /// <summary>What Confirm- and Undo-RoFirewallChange share: find the change (by id, or the one pending), ask ShouldProcess, settle it, audit, write the outcome.</summary>
    public abstract class FirewallChangeCmdletBase : FirewallCmdletBase
    {
        /// <summary>The change (Set-RoFirewallPolicy -ConfirmWithinSec's ChangeId); by default the one pending on the firewall.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern("^[0-9a-f]{12}$")]
        public string ChangeId { get; set; }

        /// <summary>The audit log to append to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <summary>The action in words, for ShouldProcess ("Keep", "Roll back").</summary>
        protected abstract string Verb { get; }

        /// <summary>Confirms or undoes the change.</summary>
        protected abstract FirewallChange Settle(FirewallConfirmedChange changes, string changeId);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            FirewallConfirmedChange changes = ConfirmedChanges;
            var audit = new AuditTrail(this, AuditLogPath, null);
            string changeId = ChangeId;
            if (changeId == null)
            {
                var known = RunOrStop(token => changes.GetChangesAsync(token), ResolvedConnection);
                RecordSettled(audit, known.Where(c => c.State != FirewallChangeState.Pending && c.RollbackGuarantee == FirewallRollbackGuarantee.HostTimer));
                changeId = known.FirstOrDefault(c => c.State == FirewallChangeState.Pending)?.ChangeId;
                if (changeId == null)
                {
                    ThrowTerminatingError(ErrorRecords.For(new ApplianceException(ApplianceErrorKind.NotFound,
                        $"{ResolvedConnection} has no firewall change waiting for confirmation.",
                        "Get-RoFirewallChange lists the changes; one rolled back by the device's timer is reported there once."), ResolvedConnection, ErrorFamily));
                }
            }

            if (!ShouldProcess($"{AuditTarget}: change {changeId}", $"{Verb} change {changeId} on {AuditTarget}?", "Confirm"))
            {
                return;
            }

            audit.RequireWritable();
            FirewallChange change = Settle(changes, changeId);
            audit.Record(AuditTarget, MyInvocation.MyCommand.Name, change.State.ToString(), Describe(change));
            if (change.State == FirewallChangeState.RollbackFailed)
            {
                WriteError(ErrorRecords.For(new ApplianceException(ApplianceErrorKind.Failed,
                    $"Change {changeId} on {AuditTarget}: {change.Reason}", "Look at the firewall now (Get-RoFirewallRule) and set the policy you want."), change, ErrorFamily));
            }
            else if (MyInvocation.MyCommand.Name.StartsWith("Confirm", System.StringComparison.Ordinal) && change.State != FirewallChangeState.Confirmed)
            {
                WriteError(ErrorRecords.For(new ApplianceException(ApplianceErrorKind.Failed,
                    $"Change {changeId} on {AuditTarget} can no longer be confirmed: it was {change.State} ({change.Reason}).", "Apply the change again if it is still wanted."), change, ErrorFamily));
            }

            WriteObject(change);
        }
    }
}
