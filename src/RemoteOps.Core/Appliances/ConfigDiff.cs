using System;
using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Appliances
{
    /// <summary>One line that differs between two configurations.</summary>
    public sealed class ConfigDifference
    {
        /// <summary>The configuration part (file) the line is in.</summary>
        public string Section { get; set; }

        /// <summary>"-" only in the reference, "+" only in the difference.</summary>
        public string Change { get; set; }

        /// <summary>Line number in the reference (for "-") or in the difference (for "+").</summary>
        public int Line { get; set; }

        /// <summary>The line.</summary>
        public string Text { get; set; }
    }

    /// <summary>Line diff of two backups, section by section (longest common subsequence).</summary>
    public static class ConfigDiff
    {
        /// <summary>The differences, in section order and line order, as a person reads a unified diff.</summary>
        public static IReadOnlyList<ConfigDifference> Compare(ConfigBackup reference, ConfigBackup difference)
        {
            var result = new List<ConfigDifference>();
            var names = reference.Sections.Keys.Union(difference.Sections.Keys).OrderBy(n => n, StringComparer.Ordinal);
            foreach (string name in names)
            {
                string[] left = Lines(reference.Sections.TryGetValue(name, out string a) ? a : null);
                string[] right = Lines(difference.Sections.TryGetValue(name, out string b) ? b : null);
                result.AddRange(CompareLines(name, left, right));
            }

            return result;
        }

        private static IEnumerable<ConfigDifference> CompareLines(string section, string[] left, string[] right)
        {
            // Configurations are thousands of lines at most: the quadratic table is fine.
            int[,] common = new int[left.Length + 1, right.Length + 1];
            for (int i = left.Length - 1; i >= 0; i--)
            {
                for (int j = right.Length - 1; j >= 0; j--)
                {
                    common[i, j] = left[i] == right[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
                }
            }

            int x = 0, y = 0;
            while (x < left.Length || y < right.Length)
            {
                if (x < left.Length && y < right.Length && left[x] == right[y])
                {
                    x++;
                    y++;
                }
                else if (x < left.Length && (y == right.Length || common[x + 1, y] >= common[x, y + 1]))
                {
                    // Removals before additions, as unified diffs show a replaced line.
                    yield return new ConfigDifference { Section = section, Change = "-", Line = x + 1, Text = left[x] };
                    x++;
                }
                else
                {
                    yield return new ConfigDifference { Section = section, Change = "+", Line = y + 1, Text = right[y] };
                    y++;
                }
            }
        }

        private static string[] Lines(string text) => text == null ? new string[0] : text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
    }
}
