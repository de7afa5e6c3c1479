using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Bandwidth;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Makes the traffic classes RemoteOps shapes on a device exactly the given ones.</summary>
    [Cmdlet(VerbsCommon.Set, "RoBandwidthPolicy", HelpUri = HelpLinks.CmdletReference + "Set-RoBandwidthPolicy.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ClassSet)]
    [OutputType(typeof(BandwidthPolicyResult))]
    public sealed class SetRoBandwidthPolicyCommand : BandwidthCmdletBase
    {
        private const string ClassSet = "Class";
        private const string PathSet = "Path";

        /// <summary>The desired classes, in match order: hashtables or objects with the policy file's keys, or Get-RoBandwidthPolicy output.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClassSet, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyCollection]
        public PSObject[] Class { get; set; }

        /// <summary>The rate of the shaped link ("50mbit").</summary>
        [Parameter(ParameterSetName = ClassSet)]
        [ValidateNotNullOrEmpty]
        public string LinkRate { get; set; }

        /// <summary>A policy file (.json, or .psd1 with the same keys).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The audit log to append to.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        private readonly List<PSObject> classes = new List<PSObject>();

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // Classes may come down the pipeline (Get-RoBandwidthPolicy | Set-RoBandwidthPolicy):
            // the policy is the whole set, so it is applied once, at the end.
            classes.AddRange((Class ?? new PSObject[0]).Where(c => c != null));
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            BandwidthPolicy desired = ParameterSetName == PathSet ? ReadFile() : FromParameters();
            try
            {
                BandwidthPolicyValidator.Normalize(desired);
            }
            catch (ArgumentException bad)
            {
                ThrowTerminatingError(new ErrorRecord(bad, "BandwidthInvalidClass", ErrorCategory.InvalidArgument, ParameterSetName == PathSet ? (object)Path : classes.ToArray()));
            }

            SetPolicy(desired);
        }

        private void SetPolicy(BandwidthPolicy desired)
        {
            var connection = ResolvedConnection;
            IBandwidthShaper shaper = Shaper;
            var operations = new BandwidthPolicyOperations(shaper);
            (BandwidthPolicy normal, BandwidthState current, BandwidthPlan plan) = RunOrStop(token => operations.PlanAsync(desired, token), connection);
            WriteVerbose(plan.ToText());
            if (plan.IsEmpty)
            {
                WriteObject(operations.Describe(plan, BandwidthPolicyOutcome.NoChange));
                return;
            }

            string what = normal.Classes.Count == 0 ? "Remove all shaping" : $"Shape to {normal.LinkRate} with {normal.Classes.Count} class(es)";
            string target = $"{shaper.PolicyScope} on {connection.Address}";
            if (!ShouldProcess($"{target}: {what}\n{plan.ToText()}", $"{what}\n{plan.ToText()}\n\nApply these changes to {target}?", "Confirm"))
            {
                WriteObject(operations.Describe(plan, BandwidthPolicyOutcome.Planned));
                return;
            }

            // The audit trail fails closed: nothing is changed when the change could not be recorded.
            var audit = new AuditTrail(this, AuditLogPath, null);
            audit.RequireWritable();
            BandwidthPolicyResult result;
            try
            {
                result = operations.ApplyAsync(normal, current, plan, StopToken).GetAwaiter().GetResult();
            }
            catch (Exception error) when (!(error is OperationCanceledException) && !(error is PipelineStoppedException))
            {
                audit.Record(target, MyInvocation.MyCommand.Name, "Failed", error.Message);
                ThrowTerminatingError(ErrorRecords.For(error, connection, ErrorFamily));
                return;
            }

            foreach (string change in result.Changes)
            {
                audit.Record(target, MyInvocation.MyCommand.Name, "Applied", change);
            }

            WriteObject(result);
        }

        private BandwidthPolicy FromParameters()
        {
            // Classes read from a device (Get-RoBandwidthPolicy) are taken as they are, once per
            // name (one is listed per shaped interface); the others are read like a policy file.
            List<PSObject> given = classes;
            var data = new Dictionary<string, object>
            {
                ["classes"] = given.Where(c => !(c?.BaseObject is BandwidthClass)).Select(PolicyData.ToPlain).ToList(),
            };
            if (LinkRate != null)
            {
                data["linkRate"] = LinkRate;
            }

            BandwidthPolicy policy;
            try
            {
                policy = BandwidthPolicyFile.FromData(data, "-Class");
            }
            catch (FormatException bad)
            {
                ThrowTerminatingError(new ErrorRecord(bad, "BandwidthInvalidClass", ErrorCategory.InvalidArgument, classes.ToArray()));
                return null;
            }

            int parsed = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            policy.Classes = given
                .Select(c => c?.BaseObject is BandwidthClass read ? read : policy.Classes[parsed++])
                .Where(c => !(c.Interface != null && !seen.Add(c.Name)))
                .ToList();
            return policy;
        }

        private BandwidthPolicy ReadFile()
        {
            string path = LocalPaths.Resolve(this, Path);
            try
            {
                if (string.Equals(System.IO.Path.GetExtension(path), ".psd1", StringComparison.OrdinalIgnoreCase))
                {
                    var data = InvokeCommand.InvokeScript(false, ScriptBlock.Create("param($p) Import-PowerShellDataFile -LiteralPath $p"), null, path);
                    var table = data.Count == 1 ? PolicyData.ToPlain(data[0]) as Dictionary<string, object> : null;
                    return BandwidthPolicyFile.FromData(table, path);
                }

                return BandwidthPolicyFile.Parse(File.ReadAllText(path), path);
            }
            catch (FormatException bad)
            {
                ThrowTerminatingError(new ErrorRecord(bad, "BandwidthPolicyFileInvalid", ErrorCategory.InvalidData, path));
            }
            catch (Exception error) when (error is IOException || error is UnauthorizedAccessException || error is RuntimeException)
            {
                ThrowTerminatingError(new ErrorRecord(error, "BandwidthPolicyFileUnreadable", ErrorCategory.ReadError, path));
            }

            return null;
        }
    }
}
