using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace RemoteOps.Core.Appliances.Planning
{
    /// <summary>
    /// The ordered steps that turn a device's current state into the desired one. A second
    /// plan after applying the first has no step that changes anything.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    public sealed class Plan<T>
    {
        internal Plan(IReadOnlyList<PlanStep<T>> steps)
        {
            Steps = steps;
        }

        /// <summary>Every item's step, unchanged ones included, in the order they apply.</summary>
        public IReadOnlyList<PlanStep<T>> Steps { get; }

        /// <summary>Only the steps that change something.</summary>
        public IReadOnlyList<PlanStep<T>> Changes => Steps.Where(s => s.ChangesSomething).ToList();

        /// <summary>True when the device is already as wanted.</summary>
        public bool IsEmpty => Steps.All(s => !s.ChangesSomething);

        /// <summary>How many steps of each action: "2 to add, 1 to change, 0 to move, 1 to remove, 40 unchanged".</summary>
        public string Summary =>
            $"{Count(PlanAction.Add)} to add, {Count(PlanAction.Change)} to change, {Count(PlanAction.Move)} to move, {Count(PlanAction.Remove)} to remove, {Count(PlanAction.Unchanged)} unchanged";

        /// <summary>The plan as a readable diff, one line per changing step (+ add, ~ change, > move, - remove), then the summary.</summary>
        public string ToText()
        {
            var text = new StringBuilder();
            foreach (PlanStep<T> step in Changes)
            {
                text.AppendLine(step.Description);
            }

            text.Append(Summary);
            return text.ToString();
        }

        /// <inheritdoc />
        public override string ToString() => Summary;

        private int Count(PlanAction action) => Steps.Count(s => s.Action == action);
    }
}
