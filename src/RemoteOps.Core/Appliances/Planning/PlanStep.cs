using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Appliances.Planning
{
    /// <summary>One step of a plan: what happens to one item, and why.</summary>
    /// <typeparam name="T">The item type (a user, a rule, a class).</typeparam>
    public sealed class PlanStep<T>
    {
        internal PlanStep(PlanAction action, string key, T current, T desired, IReadOnlyList<PropertyChange> changes, bool moved)
        {
            Action = action;
            Key = key;
            Current = current;
            Desired = desired;
            Changes = changes ?? new PropertyChange[0];
            Moved = moved;
        }

        /// <summary>What the step does.</summary>
        public PlanAction Action { get; }

        /// <summary>The item's identity as text (user name, rule name).</summary>
        public string Key { get; }

        /// <summary>The item as it is, or default when it is added.</summary>
        public T Current { get; }

        /// <summary>The item as wanted, or default when it is removed.</summary>
        public T Desired { get; }

        /// <summary>The properties that change (for Change).</summary>
        public IReadOnlyList<PropertyChange> Changes { get; }

        /// <summary>True when the item also changes position.</summary>
        public bool Moved { get; }

        /// <summary>True unless the step leaves the item alone.</summary>
        public bool ChangesSomething => Action != PlanAction.Unchanged;

        /// <summary>The step in words, one line, as -WhatIf, verbose output and the audit log show it.</summary>
        public string Description
        {
            get
            {
                switch (Action)
                {
                    case PlanAction.Add: return $"+ {Key}";
                    case PlanAction.Remove: return $"- {Key}";
                    case PlanAction.Move: return $"> {Key} (moved)";
                    case PlanAction.Change:
                        return $"~ {Key}: {string.Join("; ", Changes.Select(c => c.ToString()))}" + (Moved ? " (moved)" : string.Empty);
                    default: return $"= {Key}";
                }
            }
        }

        /// <inheritdoc />
        public override string ToString() => Description;
    }
}
