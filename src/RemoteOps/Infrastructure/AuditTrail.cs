using System;
using System.Collections.Generic;
using System.Management.Automation;
using RemoteOps.Core.Audit;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// Where the changing cmdlets record what they did: -AuditLogPath, else the
    /// REMOTEOPS_AUDIT_LOG environment variable, else the per-user default.
    /// </summary>
    internal sealed class AuditTrail
    {
        internal const string EnvironmentVariable = "REMOTEOPS_AUDIT_LOG";
        private readonly PSCmdlet cmdlet;
        private readonly AuditLog log;
        private readonly string[] secrets;
        private readonly string correlationId = Guid.NewGuid().ToString("N");
        private bool writableChecked;
        private List<AuditRecord> batch;

        internal AuditTrail(PSCmdlet cmdlet, string explicitPath, IEnumerable<string> secrets)
        {
            this.cmdlet = cmdlet;
            log = new AuditLog(ResolvePath(cmdlet, explicitPath));
            this.secrets = new List<string>(secrets ?? new string[0]).ToArray();
        }

        internal static string ResolvePath(PSCmdlet cmdlet, string explicitPath)
        {
            if (!string.IsNullOrEmpty(explicitPath))
            {
                return cmdlet.GetUnresolvedProviderPathFromPSPath(explicitPath);
            }

            string fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrEmpty(fromEnvironment) ? AuditLog.DefaultPath : fromEnvironment;
        }

        /// <summary>
        /// Stops the cmdlet with a terminating AuditLogNotWritable error when the log cannot be
        /// written, so that nothing is changed that could not be audited. Call it before the
        /// first change; it checks once per invocation and not at all under -WhatIf, which
        /// changes nothing.
        /// </summary>
        internal void RequireWritable()
        {
            if (writableChecked || LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference")) || WhatIfBound())
            {
                return;
            }

            try
            {
                log.CheckWritable();
                writableChecked = true;
            }
            catch (System.IO.IOException error)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"{error.Message} Nothing was changed. Pass -AuditLogPath (or set $env:{EnvironmentVariable}) with a file you may write, in a folder that exists or can be created.", error),
                    "AuditLogNotWritable",
                    ErrorCategory.WriteError,
                    log.Path));
            }
        }

        /// <summary>
        /// Appends one line. A change that could not be recorded is reported as an error on the
        /// pipeline (never silently dropped), but does not undo the change itself.
        /// </summary>
        internal void Record(string target, string action, string outcome, string detail = null)
        {
            AuditRecord record = Build(target, action, outcome, detail);
            if (batch != null)
            {
                batch.Add(record);
                return;
            }

            Write(new[] { record }, record.Target);
        }

        /// <summary>
        /// Holds the lines recorded until the returned scope ends, then writes them in one go
        /// (one lock, one flush to disk): for the results of a stopped run, where one write per
        /// host would keep the user waiting for the prompt. Call on the pipeline thread.
        /// </summary>
        internal IDisposable Batch()
        {
            if (batch != null)
            {
                throw new InvalidOperationException("An audit batch is already open.");
            }

            batch = new List<AuditRecord>();
            return new BatchScope(this);
        }

        private void EndBatch()
        {
            List<AuditRecord> records = batch;
            batch = null;
            if (records != null && records.Count > 0)
            {
                Write(records, string.Join(", ", records.ConvertAll(r => r.Target)));
            }
        }

        private void Write(IReadOnlyList<AuditRecord> records, string targets)
        {
            try
            {
                log.AppendAll(records);
            }
            catch (Exception error) when (error is System.IO.IOException || error is UnauthorizedAccessException || error is TimeoutException)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new InvalidOperationException($"The audit log '{log.Path}' could not be written: {error.Message} The change to {targets} was made but is not in the audit log.", error),
                    "AuditLogWriteFailed",
                    ErrorCategory.WriteError,
                    log.Path));
            }
        }

        private bool WhatIfBound() =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out object whatIf) && LanguagePrimitives.IsTrue(whatIf);

        private AuditRecord Build(string target, string action, string outcome, string detail)
        {
            return new AuditRecord
            {
                Time = DateTimeOffset.UtcNow,
                User = Environment.UserName,
                Target = AuditLog.Redact(target, secrets),
                Action = AuditLog.Redact(action, secrets),
                Outcome = outcome,
                Detail = detail == null ? null : AuditLog.Redact(detail, secrets),
                CorrelationId = correlationId,
            };
        }

        private sealed class BatchScope : IDisposable
        {
            private AuditTrail trail;

            internal BatchScope(AuditTrail trail)
            {
                this.trail = trail;
            }

            public void Dispose()
            {
                trail?.EndBatch();
                trail = null;
            }
        }
    }
}
