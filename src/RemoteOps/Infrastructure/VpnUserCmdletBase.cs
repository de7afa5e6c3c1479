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
    /// row gets an error naming the row and field, and nothing is sent for it), good rows run in
    /// parallel against the appliance, and one change object per row is written as it finishes.
    /// </summary>
    public abstract class VpnUserCmdletBase : FanOutCmdletBase<VpnUserChange>
    {
        private int row;

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

        internal AuditTrail Audit { get; private set; }

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
            base.BeginProcessing();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            row++;
            ProcessRow();
        }

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

        /// <summary>Starts work for the current row.</summary>
        protected void ScheduleRow(string userName, Func<CancellationToken, Task<VpnUserChange>> work)
        {
            int thisRow = row;
            Schedule(
                async token =>
                {
                    VpnUserChange change = await work(token).ConfigureAwait(false);
                    change.Row = thisRow;
                    return change;
                },
                error => new VpnUserChange
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
                });
        }

        /// <inheritdoc />
        protected override void WriteHostResult(VpnUserChange result)
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

        /// <inheritdoc />
        protected override IDisposable BeginAuditBatch() => Audit?.Batch();

        /// <inheritdoc />
        protected override void AuditHostResult(VpnUserChange result)
        {
            if (result.Outcome != VpnUserOutcome.NoChange)
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
    }
}
