using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// Repairs one laptop in two phases, so that the steps can be shown and confirmed between
    /// them: <see cref="PlanAsync"/> checks it and plans a step per repairable failed check through
    /// the shared <see cref="DesiredStatePlanner{T}"/>; <see cref="ApplyAsync"/> runs the steps in
    /// order through <see cref="PlanRunner"/> (stopping at the first that fails) and checks the
    /// laptop again, so every result says how the laptop fares after the change.
    /// </summary>
    public static class LaptopRepairWork
    {
        /// <summary>Checks the laptop and plans its repair.</summary>
        public static async Task<LaptopRepairPlan> PlanAsync(ISshSessionSource source, LaptopBaseline baseline, TimeSpan timeout, CancellationToken cancellationToken)
        {
            LaptopHostCompliance before = await LaptopComplianceWork.CheckAsync(source, baseline, timeout, cancellationToken).ConfigureAwait(false);
            return Plan(before, baseline);
        }

        /// <summary>Plans the repair of a laptop already checked.</summary>
        public static LaptopRepairPlan Plan(LaptopHostCompliance before, LaptopBaseline baseline)
        {
            if (before == null)
            {
                throw new ArgumentNullException(nameof(before));
            }

            var steps = new Dictionary<string, LaptopRepairStep>(StringComparer.Ordinal);
            var current = new List<LaptopSettingState>();
            var desired = new List<LaptopSettingState>();
            if (before.Evidence != null)
            {
                foreach (LaptopComplianceResult result in before.Results)
                {
                    bool compliant = result.Compliance != ComplianceStatus.NonCompliant;
                    var state = new LaptopSettingState { Check = result.Check, Compliant = compliant, Description = result.Evidence };
                    current.Add(state);
                    LaptopRepairStep step = result.CanRepair ? LaptopComplianceWork.SafeRepair(LaptopCheckRegistry.Find(result.Check), baseline, before.Evidence) : null;
                    if (step != null)
                    {
                        steps[result.Check] = step;
                        desired.Add(new LaptopSettingState { Check = result.Check, Compliant = true, Description = result.Expected });
                    }
                    else
                    {
                        desired.Add(state);
                    }
                }
            }

            var planner = new DesiredStatePlanner<LaptopSettingState>(
                s => s.Check,
                (now, wanted) => now.Compliant == wanted.Compliant
                    ? new PropertyChange[0]
                    : new[] { new PropertyChange(now.Check, "non-compliant", steps[now.Check].Description) });
            return new LaptopRepairPlan(before, baseline, planner.Plan(current, desired), steps);
        }

        /// <summary>Runs the planned steps on the laptop, then checks it again.</summary>
        /// <param name="plan">The plan from <see cref="PlanAsync"/>.</param>
        /// <param name="source">Where the connection comes from (the same host).</param>
        /// <param name="timeout">The time each step, and the check afterwards, may take.</param>
        /// <param name="onStep">Told each step's outcome as soon as it is known (for the audit log); called on a worker thread.</param>
        /// <param name="cancellationToken">Stops before the next step.</param>
        public static async Task<IReadOnlyList<LaptopRepairResult>> ApplyAsync(
            LaptopRepairPlan plan,
            ISshSessionSource source,
            TimeSpan timeout,
            Action<LaptopRepairPlan, StepResult<LaptopSettingState>> onStep,
            CancellationToken cancellationToken)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (source == null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            var outcomes = new Dictionary<string, StepResult<LaptopSettingState>>(StringComparer.Ordinal);
            LaptopHostCompliance after = await LaptopComplianceWork.RunAsync(source, plan.Baseline, async (session, result, token) =>
            {
                IReadOnlyList<StepResult<LaptopSettingState>> applied = await PlanRunner.ApplyAsync(
                    plan.Steps,
                    async (step, stepToken) =>
                    {
                        SshCommandOutput output = await LaptopComplianceWork.RunScriptAsync(session, plan.RepairSteps[step.Key].Script, timeout, stepToken).ConfigureAwait(false);
                        if (output.TimedOut)
                        {
                            throw new TimeoutException($"the step ran past {timeout.TotalSeconds:0.#} s");
                        }

                        if (output.ExitCode != 0)
                        {
                            throw new InvalidOperationException($"exit code {output.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {LaptopComplianceWork.FirstLine(output.StandardError)}");
                        }
                    },
                    null,
                    step => onStep?.Invoke(plan, step),
                    token).ConfigureAwait(false);
                foreach (StepResult<LaptopSettingState> step in applied)
                {
                    outcomes[step.Step.Key] = step;
                }

                // Checked again on the same connection: the repaired laptop as it is now.
                SshCommandOutput check = await LaptopComplianceWork.RunScriptAsync(session, LaptopEvidenceScript.For(plan.Baseline), timeout, token).ConfigureAwait(false);
                LaptopEvidence evidence = LaptopEvidence.Parse(check.StandardOutput);
                if (check.ExitCode == 0 && evidence.Complete)
                {
                    result.Evidence = evidence;
                    result.Status = HostStatus.Succeeded;
                }
                else
                {
                    result.Status = HostStatus.Failed;
                    result.Message = $"The laptop could not be checked again after the repair: {LaptopComplianceWork.FirstLine(check.StandardError)}";
                }
            }, cancellationToken).ConfigureAwait(false);

            return plan.Before.Results.Select(before =>
            {
                LaptopComplianceResult now = after.Results.FirstOrDefault(r => r.Check == before.Check) ?? before;
                LaptopRepairResult result = Describe(plan, before, now);
                if (outcomes.TryGetValue(before.Check, out StepResult<LaptopSettingState> step))
                {
                    switch (step.Status)
                    {
                        case StepStatus.Applied:
                            result.Outcome = now.Compliance == ComplianceStatus.Compliant ? LaptopRepairOutcome.Repaired : LaptopRepairOutcome.Failed;
                            if (result.Outcome == LaptopRepairOutcome.Failed)
                            {
                                result.Message = after.Evidence == null ? after.Message : "The step ran, but the laptop still fails the check.";
                            }

                            break;
                        case StepStatus.NotRun:
                            result.Outcome = LaptopRepairOutcome.NotRun;
                            result.Message = "Not attempted: an earlier step on this laptop failed, or the run was stopped.";
                            break;
                        default:
                            result.Outcome = LaptopRepairOutcome.Failed;
                            result.Message = $"The step failed on {before.ComputerName}: {step.Error?.Message}";
                            break;
                    }
                }
                else if (after.Evidence == null && after.Status != HostStatus.Succeeded)
                {
                    // The laptop was checked once but could not be reached for the repair.
                    result.Status = after.Status;
                    result.Message = after.Message;
                    result.Remedy = after.Remedy;
                    result.Outcome = plan.RepairSteps.ContainsKey(before.Check) ? LaptopRepairOutcome.NotRun : Unplanned(before);
                }

                return result;
            }).ToList();
        }

        /// <summary>The results of a plan that is not applied (-WhatIf, declined, nothing to do).</summary>
        public static IReadOnlyList<LaptopRepairResult> Unapplied(LaptopRepairPlan plan, bool declined)
        {
            return plan.Before.Results.Select(before =>
            {
                LaptopRepairResult result = Describe(plan, before, before);
                if (plan.RepairSteps.ContainsKey(before.Check))
                {
                    result.Outcome = LaptopRepairOutcome.Planned;
                    result.Message = declined ? "Not repaired: -WhatIf, or declined." : null;
                }

                return result;
            }).ToList();
        }

        private static LaptopRepairOutcome Unplanned(LaptopComplianceResult before) =>
            before.Status != HostStatus.Succeeded || before.Compliance == ComplianceStatus.Error ? LaptopRepairOutcome.NotChecked
                : before.Compliance == ComplianceStatus.NonCompliant ? LaptopRepairOutcome.NotRepairable
                : LaptopRepairOutcome.NoChange;

        private static LaptopRepairResult Describe(LaptopRepairPlan plan, LaptopComplianceResult before, LaptopComplianceResult now) => new LaptopRepairResult
        {
            ComputerName = before.ComputerName,
            Port = before.Port,
            Status = now.Status,
            StartTime = before.StartTime,
            Duration = now.Duration,
            Message = now.Message,
            Remedy = before.Compliance == ComplianceStatus.NonCompliant && !plan.RepairSteps.ContainsKey(before.Check) ? before.Remedy : now.Remedy,
            HostKeyFingerprint = now.HostKeyFingerprint ?? before.HostKeyFingerprint,
            HostKeyRecorded = before.HostKeyRecorded || now.HostKeyRecorded,
            Reconnected = now.Reconnected,
            Check = before.Check,
            Title = before.Title,
            Expected = before.Expected,
            Step = plan.RepairSteps.TryGetValue(before.Check, out LaptopRepairStep step) ? step.Description : null,
            ComplianceBefore = before.Compliance,
            Compliance = now.Compliance,
            Evidence = now.Evidence,
            Outcome = Unplanned(before),
        };
    }
}
