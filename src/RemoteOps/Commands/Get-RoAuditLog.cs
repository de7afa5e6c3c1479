using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Audit;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Reads the audit log: one record per change RemoteOps made.</summary>
    [Cmdlet(VerbsCommon.Get, "RoAuditLog", HelpUri = HelpLinks.CmdletReference + "Get-RoAuditLog.md")]
    [OutputType(typeof(AuditRecord))]
    public sealed class GetRoAuditLogCommand : PSCmdlet
    {
        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Only records at or after this time.</summary>
        [Parameter]
        public DateTime After { get; set; }

        /// <summary>Only records whose target matches this wildcard pattern.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Target { get; set; }

        /// <summary>Only records whose action matches this wildcard pattern, for example 'Invoke-RoSshCommand'.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Action { get; set; }

        /// <summary>Only the newest N matching records.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Last { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            string path = AuditTrail.ResolvePath(this, Path);
            if (!System.IO.File.Exists(path))
            {
                WriteVerbose($"The audit log '{path}' does not exist yet: no changes were recorded there.");
                return;
            }

            DateTimeOffset? since = MyInvocation.BoundParameters.ContainsKey(nameof(After)) ? new DateTimeOffset(After.ToUniversalTime()) : (DateTimeOffset?)null;
            var target = Target == null ? null : new WildcardPattern(Target, WildcardOptions.IgnoreCase);
            var action = Action == null ? null : new WildcardPattern(Action, WildcardOptions.IgnoreCase);
            var damaged = new List<long>();
            var records = new AuditLog(path).Read(since, damaged.Add)
                .Where(r => target == null || target.IsMatch(r.Target ?? string.Empty))
                .Where(r => action == null || action.IsMatch(r.Action ?? string.Empty))
                .Select(r => r.WithControlCharactersShown());
            if (Last > 0)
            {
                records = records.Reverse().Take(Last).Reverse();
            }

            WriteObject(records, enumerateCollection: true);
            if (damaged.Count > 0)
            {
                string lines = string.Join(", ", damaged.Take(10)) + (damaged.Count > 10 ? $" and {damaged.Count - 10} more" : string.Empty);
                WriteWarning($"The audit log '{path}' has {damaged.Count} damaged line{(damaged.Count == 1 ? string.Empty : "s")} that {(damaged.Count == 1 ? "is" : "are")} not a valid record and {(damaged.Count == 1 ? "was" : "were")} skipped: line {lines}. A crash while writing tears the last line; other damage means the file was edited or corrupted.");
            }
        }
    }
}
