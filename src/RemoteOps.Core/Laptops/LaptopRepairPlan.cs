using System.Collections.Generic;
using RemoteOps.Core.Appliances.Planning;

namespace RemoteOps.Core.Laptops
{
    /// <summary>One laptop's repair, planned: the check it was planned from, the planner's steps and each step's script.</summary>
    public sealed class LaptopRepairPlan
    {
        internal LaptopRepairPlan(LaptopHostCompliance before, LaptopBaseline baseline, Plan<LaptopSettingState> steps, IReadOnlyDictionary<string, LaptopRepairStep> repairSteps)
        {
            Before = before;
            Baseline = baseline;
            Steps = steps;
            RepairSteps = repairSteps;
        }

        /// <summary>The check the plan was made from.</summary>
        public LaptopHostCompliance Before { get; }

        /// <summary>The baseline.</summary>
        public LaptopBaseline Baseline { get; }

        /// <summary>The planner's plan: one Change step per repairable failed check.</summary>
        public Plan<LaptopSettingState> Steps { get; }

        /// <summary>The repair of each planned check, by check identifier.</summary>
        public IReadOnlyDictionary<string, LaptopRepairStep> RepairSteps { get; }

        /// <summary>True when nothing is to be changed.</summary>
        public bool IsEmpty => Steps.IsEmpty;

        /// <summary>The steps in words, one line each, as -WhatIf shows them.</summary>
        public string Text
        {
            get
            {
                var lines = new List<string>();
                foreach (PlanStep<LaptopSettingState> step in Steps.Changes)
                {
                    lines.Add($"{step.Key}: {RepairSteps[step.Key].Description}");
                }

                return string.Join("\n", lines);
            }
        }
    }
}
