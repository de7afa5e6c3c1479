using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Laptops;
using RemoteOps.Core.Ssh;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>
    /// Repairs what can be repaired on Linux laptops that fail a baseline, over SSH, in parallel:
    /// each laptop is checked, its repair planned and confirmed (-WhatIf lists the steps), made,
    /// and the laptop checked again.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "RoLaptopCompliance", HelpUri = HelpLinks.CmdletReference + "Repair-RoLaptopCompliance.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(LaptopRepairResult))]
    public sealed class RepairRoLaptopComplianceCommand : LaptopCmdletBase<RepairRoLaptopComplianceCommand.PlannedHost>, IDisposable
    {
        private FanOut<IReadOnlyList<LaptopRepairResult>> repairs;

        /// <inheritdoc />
        protected override string ProgressActivity => "Repair-RoLaptopCompliance";

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Audit.RequireWritable();
            repairs = new FanOut<IReadOnlyList<LaptopRepairResult>>(ThrottleLimit);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            LaptopBaseline baseline = CheckedBaseline;
            TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSec);
            foreach (ISshSessionSource source in SourcesOfThisRecord())
            {
                SshTarget target = source.Target;
                Schedule(
                    async token => new PlannedHost(source, await LaptopRepairWork.PlanAsync(source, baseline, timeout, token).ConfigureAwait(false)),
                    error =>
                    {
                        LaptopHostCompliance host = HostRun.Faulted(new LaptopHostCompliance { ComputerName = target.Host, Port = target.Port, UserName = target.UserName }, target.ToString(), error);
                        LaptopComplianceWork.Judge(host, baseline);
                        return new PlannedHost(source, LaptopRepairWork.Plan(host, baseline));
                    });
            }

            WriteRepaired();
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            base.EndProcessing();
            repairs.Complete();
            WriteUntilDrainedOrStopped(repairs, AuditAndWrite);
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            repairs?.Stop();
            base.StopProcessing();
        }

        /// <inheritdoc />
        protected override void AuditHostResult(PlannedHost result) =>
            AuditRecordedHostKey(result.Plan.Before.ComputerName, result.Plan.Before.Port, result.Plan.Before.HostKeyRecorded, result.Plan.Before.HostKeyFingerprint);

        /// <inheritdoc />
        protected override void WriteHostResult(PlannedHost result)
        {
            LaptopRepairPlan plan = result.Plan;
            LaptopHostCompliance host = plan.Before;
            if (host.Evidence == null || plan.IsEmpty)
            {
                WriteResults(LaptopRepairWork.Unapplied(plan, declined: false), host);
            }
            else if (ShouldProcess($"{result.Source.Target}:\n{plan.Text}", $"Repair {result.Source.Target}:\n{plan.Text}\n\nMake these changes?", "Confirm"))
            {
                TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSec);
                repairs.Add(
                    token => LaptopRepairWork.ApplyAsync(plan, result.Source, timeout, null, token),
                    error => LaptopRepairWork.Unapplied(plan, declined: false).Select(r => Stopped(r, plan, error)).ToList());
            }
            else
            {
                WriteResults(LaptopRepairWork.Unapplied(plan, declined: true), host);
            }

            WriteRepaired();
        }

        void IDisposable.Dispose()
        {
            // Repairs still running or queued when the pipeline stopped made their changes:
            // they are audited, though they can no longer be written. A repair changes the
            // laptop, so it is given longer than other work to finish its step.
            AuditLeftovers(repairs, TimeSpan.FromSeconds(5), AuditRepairs);
            repairs?.Dispose();
            Dispose();
        }

        private static LaptopRepairResult Stopped(LaptopRepairResult result, LaptopRepairPlan plan, Exception error)
        {
            if (plan.RepairSteps.ContainsKey(result.Check))
            {
                // Still running when the stop stopped waiting: the repair may be half made.
                bool stillRunning = error is WorkStillRunningException;
                result.Outcome = stillRunning ? LaptopRepairOutcome.Failed : LaptopRepairOutcome.NotRun;
                result.Message = stillRunning ? $"Not known whether repaired: {error.Message}"
                    : error is OperationCanceledException ? "Not attempted: the run was stopped." : $"Not attempted: {error.Message}";
            }

            return result;
        }

        private void WriteRepaired()
        {
            while (repairs.TryTake(out IReadOnlyList<LaptopRepairResult> results))
            {
                AuditAndWrite(results);
            }
        }

        private void AuditAndWrite(IReadOnlyList<LaptopRepairResult> results)
        {
            if (results == null || results.Count == 0)
            {
                return;
            }

            AuditRepairs(results);
            LaptopRepairResult first = results[0];
            LaptopRepairResult failedHost = results.FirstOrDefault(r => r.Status != HostStatus.Succeeded);
            WriteLaptopResults(results, first.ComputerName, first.Port, results.Any(r => r.Reconnected), failedHost?.Status ?? HostStatus.Succeeded, failedHost?.Message, failedHost?.Remedy,
                r => r.Outcome == LaptopRepairOutcome.Failed || r.Outcome == LaptopRepairOutcome.NotRun ? $"{r.ComputerName}: {r.Check} was not repaired: {r.Message}" : null);
        }

        private void AuditRepairs(IEnumerable<LaptopRepairResult> results)
        {
            foreach (LaptopRepairResult result in results.Where(r => r.Step != null && (r.Outcome == LaptopRepairOutcome.Repaired || r.Outcome == LaptopRepairOutcome.Failed)))
            {
                Audit.Record($"{result.ComputerName}:{result.Port}", "Repair-RoLaptopCompliance", result.Outcome == LaptopRepairOutcome.Repaired ? "Applied" : "Failed", $"{result.Check}: {result.Step}");
            }
        }

        private void WriteResults(IReadOnlyList<LaptopRepairResult> results, LaptopHostCompliance host) =>
            WriteLaptopResults(results, host.ComputerName, host.Port, host.Reconnected, host.Status, host.Message, host.Remedy, r => null);

        /// <summary>One laptop checked and its repair planned, with the connection source to repair it over.</summary>
        public sealed class PlannedHost
        {
            internal PlannedHost(ISshSessionSource source, LaptopRepairPlan plan)
            {
                Source = source;
                Plan = plan;
            }

            internal ISshSessionSource Source { get; }

            internal LaptopRepairPlan Plan { get; }
        }
    }
}
