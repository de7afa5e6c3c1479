using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// The user cmdlets' plumbing: rows come down the pipeline, each is validated at once (a bad
    /// row gets an error naming the row and field, and nothing is sent for it); good rows are
    /// read and planned in parallel; each plan is shown to ShouldProcess on the pipeline thread
    /// (so -WhatIf and -Confirm name the real steps); confirmed plans are applied and verified
    /// in parallel, and one change object per row is written as it finishes. Planning and
    /// applying share one throttle: at most -ThrottleLimit rows are worked on at once.
    /// </summary>
    public abstract class VpnUserCmdletBase : FanOutCmdletBase<VpnUserCmdletBase.PlannedRow>, IDisposable
    {
        private int row;
        private bool whatIf;
        private FanOut<VpnUserChange> applies;
        private SemaphoreSlim rowSlots;
        /// <summary>Creates the base with the REST-friendly default of 16 users at once.</summary>
        protected VpnUserCmdletBase()
        {
            ThrottleLimit = 16;
        }

        /// <summary>The sign-in name; empty or invalid names are reported per row, not refused by the binder.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Name", "User", "SamAccountName", "Login")]
        [AllowEmptyString]
        public string UserName { get; set; }

        /// <summary>The appliance connection from Connect-RoAppliance; by default the newest one of this session that manages VPN users.</summary>
        [Parameter]
        [ValidateNotNull]
        public ApplianceConnection Connection { get; set; }

        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <summary>The connection in use.</summary>
        protected ApplianceConnection Appliance { get; private set; }

        /// <summary>The VPN side of the connection in use.</summary>
        protected IVpnAppliance Vpn => Appliance.Require<IVpnAppliance>(ApplianceCapabilities.VpnUsers);

        /// <summary>The action name in the audit log.</summary>
        protected abstract string AuditAction { get; }

        /// <summary>The 1-based number of the current input row.</summary>
        protected int Row => row;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            Appliance = ApplianceConnections.Resolve(this, Connection, ApplianceCapabilities.VpnUsers, VpnCmdletBase.ErrorFamily);

            // As many requests in flight as rows worked on at once, so -ThrottleLimit above the
            // connection's initial bound is not quietly capped by it.
            Appliance.AllowConcurrentRequests(ThrottleLimit);
            Audit = new AuditTrail(this, AuditLogPath, SecretsForAudit());
            Audit.RequireWritable();
            whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object given)
                ? LanguagePrimitives.IsTrue(given)
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            base.BeginProcessing();
            applies = new FanOut<VpnUserChange>(ThrottleLimit);
            rowSlots = new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            row++;
            ProcessRow();
            WriteApplied();
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            base.EndProcessing();
            applies.Complete();
            WriteUntilDrainedOrStopped(applies, AuditAndWrite);
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            applies?.Stop();
            base.StopProcessing();
        }

        /// <summary>True when a confirmed change needs no ShouldProcess (Remove-RoVpnUser -Force); -WhatIf still wins.</summary>
        protected virtual bool SkipsConfirmation => false;

        /// <summary>Validates and schedules the current row.</summary>
        protected abstract void ProcessRow();

        /// <summary>Secrets the invocation holds (passwords), kept out of the audit log.</summary>
        protected virtual IEnumerable<string> SecretsForAudit() => Enumerable.Empty<string>();

        /// <summary>Writes a non-terminating error for a row that cannot be sent, naming the row, the field and the value.</summary>
        protected void RejectRow(string field, string message, object value)
        {
            WriteError(new ErrorRecord(
                new ArgumentException($"Row {row}, {field}: {message}"),
                "InvalidVpnUserRow",
                ErrorCategory.InvalidArgument,
                value));
        }

        /// <summary>True for a valid user name; otherwise writes the row error and returns false.</summary>
        protected bool AcceptUserName(string userName)
        {
            if (VpnUserName.IsValid(userName))
            {
                return true;
            }

            RejectRow("UserName", $"'{userName}' is not a valid VPN user name: use {VpnUserName.ValidForm}.", userName);
            return false;
        }

        /// <summary>
        /// Plans the current row in parallel (reads only); the plan is then confirmed on the
        /// pipeline thread, applied and verified. <paramref name="applied"/> is told the result
        /// of an applied plan, on a worker thread.
        /// </summary>
        protected void ScheduleRow(string userName, Func<CancellationToken, Task<VpnUserPlan>> plan, Action<VpnUserChange> applied = null)
        {
            int thisRow = row;
            Schedule(
                async token => new PlannedRow(thisRow, await InSlotAsync(plan, token).ConfigureAwait(false), null, applied),
                error => new PlannedRow(thisRow, null, Faulted(userName, thisRow, error), applied));
        }

        /// <inheritdoc />
        protected override void WriteHostResult(PlannedRow result)
        {
            VpnUserChange done = result.Fault ?? result.Plan.Refusal;
            if (done != null)
            {
                done.Row = result.Row;
                WriteChange(done);
            }
            else
            {
                Confirm(result);
            }

            WriteApplied();
        }

        /// <inheritdoc />
        protected override void AuditHostResult(PlannedRow result)
        {
            // Planning only reads; of its results only a refusal is worth a line, as before any
            // change, and not under -WhatIf, which records nothing.
            if (!whatIf && result.Plan?.Refusal != null)
            {
                result.Plan.Refusal.Row = result.Row;
                AuditChange(result.Plan.Refusal);
            }
        }

        void IDisposable.Dispose()
        {
            // Applies still running or queued when the pipeline stopped made their changes:
            // they are audited, though they can no longer be written.
            AuditLeftovers(applies, FanOut<VpnUserChange>.DefaultStopWait, AuditChange);
            applies?.Dispose();
            Dispose();
            rowSlots?.Dispose();
        }

        private void Confirm(PlannedRow result)
        {
            VpnUserPlan plan = result.Plan;
            if (!plan.ChangesSomething)
            {
                // Not a change, so nothing to confirm; -WhatIf still says so, row by row.
                if (whatIf)
                {
                    ShouldProcess(plan.Target, plan.Operation);
                }

                WriteUnapplied(plan, result.Row);
                return;
            }

            if (!(SkipsConfirmation && !whatIf) && !ShouldProcess(plan.Target, plan.Operation))
            {
                WriteUnapplied(plan, result.Row);
                return;
            }

            IVpnAppliance appliance = Vpn;
            int thisRow = result.Row;
            applies.Add(
                async token =>
                {
                    VpnUserChange change = await InSlotAsync(t => VpnUserOperations.ApplyAsync(appliance, plan, t), token).ConfigureAwait(false);
                    change.Row = thisRow;
                    result.Applied?.Invoke(change);
                    return change;
                },
                error => Faulted(plan.UserName, thisRow, error));
        }

        private void WriteUnapplied(VpnUserPlan plan, int thisRow)
        {
            VpnUserChange change = plan.Unapplied();
            change.Row = thisRow;
            WriteChange(change);
        }

        private async Task<T> InSlotAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken token)
        {
            await rowSlots.WaitAsync(token).ConfigureAwait(false);
            try
            {
                return await work(token).ConfigureAwait(false);
            }
            finally
            {
                rowSlots.Release();
            }
        }

        private VpnUserChange Faulted(string userName, int thisRow, Exception error) => new VpnUserChange
        {
            UserName = userName,
            Appliance = Appliance.Address,
            Row = thisRow,
            Outcome = VpnUserOutcome.Failed,
            Message = error is WorkStillRunningException ? error.Message
                : error is OperationCanceledException ? "Stopped before it finished."
                : error is ApplianceException known && known.Remedy != null ? known.Message + " " + known.Remedy
                : error.Message,
            ErrorKind = (error as ApplianceException)?.Kind ?? ApplianceErrorKind.Failed,
        };

        private void WriteApplied()
        {
            while (applies.TryTake(out VpnUserChange change))
            {
                AuditAndWrite(change);
            }
        }

        private void AuditAndWrite(VpnUserChange change)
        {
            if (change != null)
            {
                AuditChange(change);
                WriteChange(change);
            }
        }

        private void WriteChange(VpnUserChange result)
        {
            PSObject output = PSObject.AsPSObject(result);
            AddOutputProperties(output, result);
            if (!result.Succeeded)
            {
                var kind = result.ErrorKind ?? ApplianceErrorKind.Failed;
                var error = new ErrorRecord(
                    new ApplianceException(kind, $"Row {result.Row}, user '{result.UserName}': {result.Message}"),
                    VpnCmdletBase.ErrorFamily + kind,
                    ErrorRecords.CategoryFor(kind),
                    result.UserName);
                output.Properties.Add(new PSNoteProperty("ErrorRecord", error));
                WriteError(error);
            }

            WriteObject(output);
        }

        private void AuditChange(VpnUserChange result)
        {
            if (result.Outcome != VpnUserOutcome.NoChange && result.Outcome != VpnUserOutcome.Planned)
            {
                Audit.Record($"{result.UserName}@{result.Appliance}", AuditAction, result.Outcome, string.Join("; ", result.Changes ?? new string[0]) + (result.Message == null ? string.Empty : " " + result.Message));
            }
        }

        /// <summary>Adds cmdlet-specific properties to an output object.</summary>
        protected virtual void AddOutputProperties(PSObject output, VpnUserChange result)
        {
        }

        /// <summary>Splits a group list from a CSV cell ("staff;vpn-eu" or "staff,vpn-eu").</summary>
        protected static string[] SplitGroups(string[] groups)
        {
            if (groups == null)
            {
                return null;
            }

            return groups.SelectMany(g => (g ?? string.Empty).Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
                .Select(g => g.Trim())
                .Where(g => g.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToArray();
        }

        /// <summary>One row read and planned, waiting for its confirmation on the pipeline thread.</summary>
        public sealed class PlannedRow
        {
            internal PlannedRow(int row, VpnUserPlan plan, VpnUserChange fault, Action<VpnUserChange> applied)
            {
                Row = row;
                Plan = plan;
                Fault = fault;
                Applied = applied;
            }

            internal int Row { get; }

            internal VpnUserPlan Plan { get; }

            internal VpnUserChange Fault { get; }

            internal Action<VpnUserChange> Applied { get; }
        }
    }
}
