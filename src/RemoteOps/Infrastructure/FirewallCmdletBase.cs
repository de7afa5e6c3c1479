using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Infrastructure
{
    /// <summary>The -Connection parameter, Ctrl+C handling and error mapping of the firewall cmdlets.</summary>
    public abstract class FirewallCmdletBase : ApplianceCmdletBase
    {
        /// <summary>The error-id family of the firewall cmdlets (FirewallInvalidRequest, NoFirewallConnection, ...).</summary>
        internal const string ErrorFamily = "Firewall";

        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.FirewallPolicy;

        /// <inheritdoc />
        protected override string ErrorFamilyName => ErrorFamily;

        /// <summary>The firewall side of the connection in use.</summary>
        protected IFirewall Firewall => Feature<IFirewall>();

        /// <summary>Waits for firewall work on the pipeline thread; a failure stops the cmdlet with the mapped error.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work, object target)
        {
            try
            {
                return work(StopToken).GetAwaiter().GetResult();
            }
            catch (Exception error) when (!(error is OperationCanceledException) && !(error is PipelineStoppedException))
            {
                ThrowTerminatingError(ErrorRecords.For(error, target, ErrorFamily));
                throw;
            }
        }

        /// <summary>The target an audit line names: the managed part on the device.</summary>
        protected string AuditTarget => $"{Firewall.PolicyScope} on {ResolvedConnection.Address}";

        /// <summary>Confirm windows on the firewall in use: on the device for drivers with a timer of their own, in this runspace otherwise.</summary>
        protected FirewallConfirmedChange ConfirmedChanges => new FirewallConfirmedChange(Firewall, FirewallClientGuards.Current());

        /// <summary>Records the changes that ended without a client (a host timer's rollback) once, when a cmdlet first sees them.</summary>
        private protected void RecordSettled(AuditTrail audit, IEnumerable<FirewallChange> settled)
        {
            foreach (FirewallChange change in settled)
            {
                audit.Record(AuditTarget, MyInvocation.MyCommand.Name, change.State.ToString(), Describe(change));
            }
        }

        /// <summary>One audit line's detail for a change with a confirm window.</summary>
        protected static string Describe(FirewallChange change) =>
            $"change {change.ChangeId} ({change.RollbackGuarantee}, deadline {change.Deadline.ToString("u", CultureInfo.InvariantCulture)}): {change.State}" +
            (string.IsNullOrEmpty(change.Reason) ? string.Empty : ". " + change.Reason);

        /// <summary>Plans <paramref name="desired"/>, asks ShouldProcess with the readable diff, applies (with a confirm window when <paramref name="confirmWithinSec"/> is above 0), audits each change and writes the result.</summary>
        protected void SetPolicy(FirewallPolicy desired, string auditLogPath, string backupPath, string what, int confirmWithinSec = 0)
        {
            ApplianceConnection connection = ResolvedConnection;
            IFirewall firewall = Firewall;
            var operations = new FirewallPolicyOperations(firewall);
            FirewallConfirmedChange confirmed = ConfirmedChanges;
            var audit = new AuditTrail(this, auditLogPath, null);
            string target = AuditTarget;

            // A change while another waits for confirmation is refused: its rollback would undo this one too.
            RecordSettled(audit, Run(token => confirmed.RequireNoPendingAsync(token), connection));
            (FirewallPolicy normal, FirewallPlan plan) = Run(token => operations.PlanAsync(desired, token), connection);
            WriteVerbose(plan.ToText());
            if (plan.IsEmpty)
            {
                WriteObject(operations.Describe(plan, FirewallPolicyOutcome.NoChange));
                return;
            }

            string window = confirmWithinSec > 0 ? $" (rolled back after {confirmWithinSec.ToString(CultureInfo.InvariantCulture)} s unless confirmed)" : string.Empty;
            if (!ShouldProcess($"{target}: {what}{window}\n{plan.ToText()}", $"{what}{window}\n{plan.ToText()}\n\nApply these changes to {target}?", "Confirm"))
            {
                WriteObject(operations.Describe(plan, FirewallPolicyOutcome.Planned));
                return;
            }

            // Every change first saves what it replaces, in the device's format and as a policy
            // file: to -BackupPath, or beside the audit log (firewall-backups/NAME-TIME).
            string devicePath = !string.IsNullOrEmpty(backupPath) ? LocalPaths.Resolve(this, backupPath)
                : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(AuditTrail.ResolvePath(this, auditLogPath)), "firewall-backups",
                    FirewallConfigExport.BaseName(firewall) + "-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + FirewallConfigExport.DeviceExtension(firewall));
            string policyPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(devicePath), System.IO.Path.GetFileNameWithoutExtension(devicePath) + ".policy.json");
            Func<string, string> saveBackup = text => FirewallConfigExport.Write(firewall, devicePath, policyPath, text, plan.Current).DeviceFormatPath;

            // The audit trail fails closed: nothing is changed when the change could not be recorded.
            audit.RequireWritable();
            FirewallPolicyResult result;
            try
            {
                if (confirmWithinSec > 0)
                {
                    string logPath = AuditTrail.ResolvePath(this, auditLogPath);
                    string command = MyInvocation.MyCommand.Name;
                    result = confirmed.ApplyAsync(normal, plan, TimeSpan.FromSeconds(confirmWithinSec), what, saveBackup, StopToken,
                        settled => RecordFromTimer(logPath, target, command, settled)).GetAwaiter().GetResult();
                }
                else
                {
                    result = operations.ApplyAsync(normal, plan, saveBackup, StopToken).GetAwaiter().GetResult();
                }
            }
            catch (Exception error) when (!(error is OperationCanceledException) && !(error is PipelineStoppedException))
            {
                audit.Record(target, MyInvocation.MyCommand.Name, "Failed", error.Message);
                ThrowTerminatingError(ErrorRecords.For(error, connection, ErrorFamily));
                return;
            }

            result.BackupPolicyPath = result.BackupPath == null ? null : policyPath;
            foreach (string change in result.Changes)
            {
                audit.Record(target, MyInvocation.MyCommand.Name, "Applied", change);
            }

            if (result.ChangeState.HasValue)
            {
                audit.Record(target, MyInvocation.MyCommand.Name, result.ChangeState.Value.ToString(),
                    $"change {result.ChangeId} ({result.RollbackGuarantee}, deadline {result.ConfirmDeadline?.ToString("u", CultureInfo.InvariantCulture)}): {result.ChangeNote}");
                if (result.ManagementPathAnswers == false)
                {
                    WriteWarning($"{connection}: {result.ChangeNote}");
                }
            }

            WriteObject(result);
        }

        // A client-side rollback at the deadline happens on a timer thread, after the cmdlet has
        // returned: it is written to the audit log directly, and a log that cannot be written then
        // has nobody to tell.
        private static void RecordFromTimer(string logPath, string target, string command, FirewallChange change)
        {
            try
            {
                new AuditLog(logPath).Append(new AuditRecord
                {
                    Time = DateTimeOffset.UtcNow,
                    User = Environment.UserName,
                    Target = target,
                    Action = command,
                    Outcome = change.State.ToString(),
                    Detail = Describe(change),
                    CorrelationId = Guid.NewGuid().ToString("N"),
                });
            }
            catch (Exception error) when (error is System.IO.IOException || error is UnauthorizedAccessException || error is TimeoutException)
            {
                // Nothing to report to on a timer thread; the change's state is still shown by Get-RoFirewallChange.
            }
        }
    }
}
