using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// What Set-RoFirewallPolicy, New-RoFirewallRule and Remove-RoFirewallRule share: one change
    /// planned and applied on one firewall or many (-Connection values or connections from the
    /// pipeline), at most -ThrottleLimit at a time, one result per firewall. A firewall whose
    /// change fails is put back (or its result says what it holds); the others carry on, or with
    /// -StopOnFirstFailure the ones already changed are put back too.
    /// </summary>
    public abstract class FirewallPolicyCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private readonly List<ApplianceConnection> given = new List<ApplianceConnection>();
        private bool single;

        /// <summary>The firewalls to change; by default the newest connection of this session that offers FirewallPolicy.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public ApplianceConnection[] Connection { get; set; }

        /// <summary>Apply with a confirm window: roll the change back after this many seconds unless Confirm-RoFirewallChange keeps it.</summary>
        [Parameter]
        [ValidateRange(FirewallConfirmedChange.MinimumSeconds, FirewallConfirmedChange.MaximumSeconds)]
        public int ConfirmWithinSec { get; set; }

        /// <summary>Firewalls changed at the same time.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>All or nothing: after the first failure start no more firewalls and put back the ones already changed.</summary>
        [Parameter]
        public SwitchParameter StopOnFirstFailure { get; set; }

        /// <summary>The audit log to append to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <summary>Fires on Ctrl+C or Stop-Job.</summary>
        protected CancellationToken StopToken => stopping.Token;

        /// <summary>A -BackupPath for a single firewall, or null.</summary>
        protected virtual string BackupFile => null;

        /// <summary>The change in words, for ShouldProcess and the confirm window ("Add the rule 'x'").</summary>
        protected abstract string What { get; }

        /// <summary>Checks the cmdlet's own input before any firewall is read; stop with a terminating error when it is bad.</summary>
        protected abstract void ValidateInput();

        /// <summary>The desired policy for one firewall from what it holds now; throw ApplianceException when this firewall cannot take the change (the others go on).</summary>
        protected abstract FirewallPolicy Desired(ApplianceConnection connection, FirewallPolicy current);

        /// <summary>Errors that are not failures of the change (a rule name not found), written for one firewall before planning.</summary>
        protected virtual IEnumerable<ApplianceException> Notes(ApplianceConnection connection, FirewallPolicy current) => Enumerable.Empty<ApplianceException>();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Connection != null)
            {
                given.AddRange(Connection);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            ValidateInput();
            List<ApplianceConnection> connections = given.Count == 0
                ? new List<ApplianceConnection> { ApplianceConnections.Resolve(this, null, ApplianceCapabilities.FirewallPolicy, FirewallCmdletBase.ErrorFamily) }
                : given.Distinct().Select(c => ApplianceConnections.Resolve(this, c, ApplianceCapabilities.FirewallPolicy, FirewallCmdletBase.ErrorFamily)).ToList();
            if (BackupFile != null && connections.Count > 1)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-BackupPath names one file, so it works with one firewall only; with several, leave it out (each change is saved beside the audit log)."),
                    "FirewallBackupPathForOne", ErrorCategory.InvalidArgument, BackupFile));
            }

            FirewallClientGuard guard = FirewallClientGuards.Current();
            var audit = new AuditTrail(this, AuditLogPath, null);
            string logPath = AuditTrail.ResolvePath(this, AuditLogPath);
            var targets = connections.Select(c => new Target(c, c.Require<IFirewall>(ApplianceCapabilities.FirewallPolicy))).ToList();
            single = targets.Count == 1;

            // Plan every firewall (in parallel: reading is safe), then ask about each on this thread.
            Parallel(targets, "Reading the firewalls", t => PlanAsync(t, guard));
            var changing = new List<Target>();
            foreach (Target t in targets)
            {
                foreach (FirewallChange settled in t.Settled)
                {
                    audit.Record(t.AuditTarget, MyInvocation.MyCommand.Name, settled.State.ToString(), FirewallCmdletBase.Describe(settled));
                }

                foreach (ApplianceException note in t.Notes)
                {
                    WriteError(ErrorRecords.For(note, t.Connection, FirewallCmdletBase.ErrorFamily));
                }

                if (t.Error != null)
                {
                    Fail(ErrorFor(t.Error, t.Connection));
                    continue;
                }

                if (t.Plan == null)
                {
                    continue;
                }

                WriteVerbose($"{t.Connection}:\n{t.Plan.ToText()}");
                var operations = new FirewallPolicyOperations(t.Firewall);
                if (t.Plan.IsEmpty)
                {
                    WriteObject(operations.Describe(t.Plan, FirewallPolicyOutcome.NoChange));
                    continue;
                }

                string window = ConfirmWithinSec > 0 ? $" (rolled back after {ConfirmWithinSec.ToString(CultureInfo.InvariantCulture)} s unless confirmed)" : string.Empty;
                if (!ShouldProcess($"{t.AuditTarget}: {What}{window}\n{t.Plan.ToText()}", $"{What}{window}\n{t.Plan.ToText()}\n\nApply these changes to {t.AuditTarget}?", "Confirm"))
                {
                    WriteObject(operations.Describe(t.Plan, FirewallPolicyOutcome.Planned));
                    continue;
                }

                changing.Add(t);
            }

            if (changing.Count == 0)
            {
                return;
            }

            if (StopOnFirstFailure && targets.Any(t => t.Error != null))
            {
                // All or nothing, and one firewall cannot even be planned: change none.
                foreach (Target t in changing)
                {
                    FirewallPolicyResult notRun = new FirewallPolicyOperations(t.Firewall).Describe(t.Plan, FirewallPolicyOutcome.NotRun);
                    notRun.ChangeNote = "Not tried: another firewall could not be read (-StopOnFirstFailure).";
                    WriteObject(notRun);
                }

                return;
            }

            // The audit trail fails closed: nothing is changed when the change could not be recorded.
            audit.RequireWritable();
            string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
            using (var failedOnce = CancellationTokenSource.CreateLinkedTokenSource(StopToken))
            {
                Parallel(changing, "Applying", async t =>
                {
                    if (failedOnce.IsCancellationRequested && StopOnFirstFailure)
                    {
                        t.Result = new FirewallPolicyOperations(t.Firewall).Describe(t.Plan, FirewallPolicyOutcome.NotRun);
                        t.Result.ChangeNote = "Not tried: the change failed on another firewall first.";
                        return;
                    }

                    string devicePath = BackupFile ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(logPath), "firewall-backups",
                        FirewallConfigExport.BaseName(t.Firewall) + "-" + stamp + FirewallConfigExport.DeviceExtension(t.Firewall));
                    t.PolicyPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(devicePath), System.IO.Path.GetFileNameWithoutExtension(devicePath) + ".policy.json");
                    Func<string, string> saveBackup = text => FirewallConfigExport.Write(t.Firewall, devicePath, t.PolicyPath, text, t.Plan.Current).DeviceFormatPath;
                    string command = MyInvocation.MyCommand.Name;
                    (t.Result, t.Error) = await new FirewallRollout(t.Firewall, guard).ApplyAsync(t.Normal, t.Plan, ConfirmWithinSec, What, saveBackup,
                        settled => RecordFromTimer(logPath, t.AuditTarget, command, settled), StopOnFirstFailure ? failedOnce.Token : StopToken).ConfigureAwait(false);
                    if (t.Error != null && StopOnFirstFailure)
                    {
                        failedOnce.Cancel();
                    }
                });
            }

            if (StopOnFirstFailure && changing.Any(t => t.Error != null))
            {
                Parallel(changing.Where(t => t.Error == null && t.Result?.Outcome == FirewallPolicyOutcome.Updated).ToList(), "Putting back",
                    async t => t.Result = await new FirewallRollout(t.Firewall, guard).RollBackAsync(t.Result, t.Plan).ConfigureAwait(false));
            }

            foreach (Target t in changing)
            {
                Report(audit, t);
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        /// <inheritdoc />
        public void Dispose()
        {
            stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        private async Task PlanAsync(Target t, FirewallClientGuard guard)
        {
            try
            {
                t.Settled = await new FirewallConfirmedChange(t.Firewall, guard).RequireNoPendingAsync(StopToken).ConfigureAwait(false);
                (t.Normal, t.Plan) = await new FirewallPolicyOperations(t.Firewall).PlanAsync(current =>
                {
                    t.Notes = Notes(t.Connection, current).ToList();
                    return Desired(t.Connection, current);
                }, StopToken).ConfigureAwait(false);
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !StopToken.IsCancellationRequested)
            {
                t.Error = error;
            }
        }

        private void Report(AuditTrail audit, Target t)
        {
            FirewallPolicyResult result = t.Result;
            if (result.BackupPath != null)
            {
                result.BackupPolicyPath = t.PolicyPath;
            }

            string command = MyInvocation.MyCommand.Name;
            if (result.Outcome == FirewallPolicyOutcome.Updated || result.Outcome == FirewallPolicyOutcome.RolledBack)
            {
                foreach (string change in result.Changes)
                {
                    audit.Record(t.AuditTarget, command, "Applied", change);
                }
            }

            if (result.Outcome == FirewallPolicyOutcome.RolledBack)
            {
                audit.Record(t.AuditTarget, command, "RolledBack", result.ChangeNote);
            }
            else if (result.ChangeState.HasValue)
            {
                audit.Record(t.AuditTarget, command, result.ChangeState.Value.ToString(),
                    $"change {result.ChangeId} ({result.RollbackGuarantee}, deadline {result.ConfirmDeadline?.ToString("u", CultureInfo.InvariantCulture)}): {result.ChangeNote}");
                if (result.ManagementPathAnswers == false)
                {
                    WriteWarning($"{t.Connection}: {result.ChangeNote}");
                }
            }

            if (t.Error != null)
            {
                audit.Record(t.AuditTarget, command, "Failed", t.Error.Message + " " + result.ChangeNote);
                ErrorRecord record = ErrorFor(t.Error, t.Connection);
                record.ErrorDetails = new ErrorDetails($"{t.Connection}: {t.Error.Message} {result.ChangeNote}") { RecommendedAction = record.ErrorDetails?.RecommendedAction };
                if (single)
                {
                    ThrowTerminatingError(record);
                }

                WriteError(record);
            }

            WriteObject(result);
        }

        // One firewall: its failure stops the cmdlet, as for any single-device cmdlet. Several:
        // each failure is written and the others carry on.
        private void Fail(ErrorRecord record)
        {
            if (single)
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
        }

        private static ErrorRecord ErrorFor(Exception error, ApplianceConnection connection) =>
            error is ArgumentException bad
                ? new ErrorRecord(bad, "FirewallInvalidRule", ErrorCategory.InvalidArgument, connection)
                : ErrorRecords.For(error, connection, FirewallCmdletBase.ErrorFamily);

        // Runs the work for every target at most ThrottleLimit at a time, showing progress from
        // this (the pipeline) thread, where Write-Progress is allowed.
        private void Parallel(IReadOnlyList<Target> targets, string activity, Func<Target, Task> work)
        {
            if (targets.Count == 0)
            {
                return;
            }

            var done = new ConcurrentQueue<Target>();
            using (var slots = new SemaphoreSlim(ThrottleLimit))
            {
                Task all = Task.WhenAll(targets.Select(async t =>
                {
                    await slots.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        await work(t).ConfigureAwait(false);
                    }
                    finally
                    {
                        slots.Release();
                        done.Enqueue(t);
                    }
                }));
                int finished = 0;
                var progress = new ProgressRecord(1, $"{MyInvocation.MyCommand.Name}: {activity}", $"0 of {targets.Count} firewalls");
                while (!all.Wait(200))
                {
                    while (done.TryDequeue(out Target t))
                    {
                        finished++;
                        progress.StatusDescription = $"{finished} of {targets.Count} firewalls (last: {t.Connection.Address})";
                        progress.PercentComplete = finished * 100 / targets.Count;
                        WriteProgress(progress);
                    }
                }

                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
                all.GetAwaiter().GetResult();
            }
        }

        // A client-side rollback at the deadline happens on a timer thread after the cmdlet has
        // returned: it goes to the audit log directly, and a log that cannot be written then has
        // nobody to tell (Get-RoFirewallChange still shows the change's state).
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
                    Detail = FirewallCmdletBase.Describe(change),
                    CorrelationId = Guid.NewGuid().ToString("N"),
                });
            }
            catch (Exception error) when (error is System.IO.IOException || error is UnauthorizedAccessException || error is TimeoutException)
            {
                GC.KeepAlive(error);
            }
        }

        private sealed class Target
        {
            internal Target(ApplianceConnection connection, IFirewall firewall)
            {
                Connection = connection;
                Firewall = firewall;
                AuditTarget = $"{firewall.PolicyScope} on {connection.Address}";
            }

            internal ApplianceConnection Connection { get; }

            internal IFirewall Firewall { get; }

            internal string AuditTarget { get; }

            internal IReadOnlyList<FirewallChange> Settled { get; set; } = new FirewallChange[0];

            internal List<ApplianceException> Notes { get; set; } = new List<ApplianceException>();

            internal FirewallPolicy Normal { get; set; }

            internal FirewallPlan Plan { get; set; }

            internal FirewallPolicyResult Result { get; set; }

            internal string PolicyPath { get; set; }

            internal Exception Error { get; set; }
        }
    }
}
