using System;
using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Appliances.Planning
{
    /// <summary>
    /// Works out the steps from a device's current items to the desired ones, for any device kind:
    /// items are matched by key, compared property by property, and, for ordered collections
    /// such as firewall rules, checked for position. Only items the caller owns are removed, so
    /// what RemoteOps did not create is left alone unless the user asks to manage it.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    public sealed class DesiredStatePlanner<T>
    {
        private readonly Func<T, string> keyOf;
        private readonly Func<T, T, IReadOnlyList<PropertyChange>> compare;
        private readonly StringComparer keys;

        /// <summary>Creates a planner.</summary>
        /// <param name="keyOf">The item's identity (user name, rule name); never null or empty.</param>
        /// <param name="compare">The properties that differ between the current and the desired item; empty when equal.</param>
        /// <param name="keyComparer">How keys match; ordinal by default, since device names are usually case-sensitive.</param>
        public DesiredStatePlanner(Func<T, string> keyOf, Func<T, T, IReadOnlyList<PropertyChange>> compare, StringComparer keyComparer = null)
        {
            this.keyOf = keyOf ?? throw new ArgumentNullException(nameof(keyOf));
            this.compare = compare ?? throw new ArgumentNullException(nameof(compare));
            keys = keyComparer ?? StringComparer.Ordinal;
        }

        /// <summary>True when the position of an item matters (firewall rules); then items out of place get a Move.</summary>
        public bool Ordered { get; set; }

        /// <summary>Which current items the plan may remove when they are not desired; null removes none.</summary>
        public Func<T, bool> Owns { get; set; }

        /// <summary>The plan: desired items in their order (added, changed, moved or unchanged), then removals.</summary>
        /// <exception cref="ArgumentException">Two desired items, or two current items, share a key.</exception>
        public Plan<T> Plan(IEnumerable<T> current, IEnumerable<T> desired)
        {
            List<T> currentItems = (current ?? Enumerable.Empty<T>()).ToList();
            List<T> desiredItems = (desired ?? Enumerable.Empty<T>()).ToList();
            Dictionary<string, int> currentIndex = IndexByKey(currentItems, "current state");
            Dictionary<string, int> desiredIndex = IndexByKey(desiredItems, "desired state");
            HashSet<string> moved = Ordered ? OutOfPlace(desiredItems, currentIndex) : new HashSet<string>(keys);

            var steps = new List<PlanStep<T>>();
            foreach (T wanted in desiredItems)
            {
                string key = keyOf(wanted);
                if (!currentIndex.TryGetValue(key, out int at))
                {
                    steps.Add(new PlanStep<T>(PlanAction.Add, key, default(T), wanted, null, false));
                    continue;
                }

                T existing = currentItems[at];
                IReadOnlyList<PropertyChange> changes = compare(existing, wanted) ?? new PropertyChange[0];
                bool isMoved = moved.Contains(key);
                PlanAction action = changes.Count > 0 ? PlanAction.Change : isMoved ? PlanAction.Move : PlanAction.Unchanged;
                steps.Add(new PlanStep<T>(action, key, existing, wanted, changes, isMoved));
            }

            foreach (T existing in currentItems)
            {
                string key = keyOf(existing);
                if (!desiredIndex.ContainsKey(key) && Owns != null && Owns(existing))
                {
                    steps.Add(new PlanStep<T>(PlanAction.Remove, key, existing, default(T), null, false));
                }
            }

            return new Plan<T>(steps);
        }

        private Dictionary<string, int> IndexByKey(List<T> items, string where)
        {
            var index = new Dictionary<string, int>(keys);
            for (int i = 0; i < items.Count; i++)
            {
                string key = keyOf(items[i]);
                if (string.IsNullOrEmpty(key))
                {
                    throw new ArgumentException($"Item {i + 1} of the {where} has no name.");
                }

                if (index.ContainsKey(key))
                {
                    throw new ArgumentException($"'{key}' appears twice in the {where} (items {index[key] + 1} and {i + 1}); names must be unique.");
                }

                index.Add(key, i);
            }

            return index;
        }

        // The items kept in place are the longest run whose current positions already rise in the
        // desired order; every other shared item moves. That is the fewest moves that give the
        // desired order (patience sorting, O(n log n): 2,000 rules plan in well under a second).
        private HashSet<string> OutOfPlace(List<T> desiredItems, Dictionary<string, int> currentIndex)
        {
            var shared = desiredItems.Select(keyOf).Where(currentIndex.ContainsKey).ToList();
            var positions = shared.Select(k => currentIndex[k]).ToList();
            var tails = new List<int>();
            var previous = new int[positions.Count];
            var tailIndex = new List<int>();
            for (int i = 0; i < positions.Count; i++)
            {
                int lo = 0, hi = tails.Count;
                while (lo < hi)
                {
                    int mid = (lo + hi) / 2;
                    if (tails[mid] < positions[i])
                    {
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid;
                    }
                }

                previous[i] = lo > 0 ? tailIndex[lo - 1] : -1;
                if (lo == tails.Count)
                {
                    tails.Add(positions[i]);
                    tailIndex.Add(i);
                }
                else
                {
                    tails[lo] = positions[i];
                    tailIndex[lo] = i;
                }
            }

            var kept = new HashSet<string>(keys);
            for (int i = tailIndex.Count == 0 ? -1 : tailIndex[tailIndex.Count - 1]; i >= 0; i = previous[i])
            {
                kept.Add(shared[i]);
            }

            return new HashSet<string>(shared.Where(k => !kept.Contains(k)), keys);
        }
    }
}
