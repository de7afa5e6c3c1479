using System;
using System.Collections.Generic;

namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>
    /// OpenSSH's host pattern rules for a comma-separated known_hosts host field: '*' and '?'
    /// wildcards, case-insensitive, and '!pattern' negations that veto the whole list.
    /// </summary>
    internal static class HostPatternList
    {
        public static bool Matches(IReadOnlyList<string> patterns, string hostString)
        {
            var positive = false;
            foreach (var pattern in patterns)
            {
                var negated = pattern.StartsWith("!", StringComparison.Ordinal);
                var body = negated ? pattern.Substring(1) : pattern;
                if (!GlobMatches(body, hostString))
                {
                    continue;
                }

                // A matching negation wins over any positive match, before or after it.
                if (negated)
                {
                    return false;
                }

                positive = true;
            }

            return positive;
        }

        public static bool HasWildcard(string pattern)
        {
            return pattern.IndexOfAny(new[] { '*', '?' }) >= 0;
        }

        /// <summary>
        /// Glob match with '*' (any run, also empty) and '?' (one character). Iterative with a
        /// single backtrack point, so hostile patterns like "*a*a*a*b" stay linear-ish rather
        /// than exponential.
        /// </summary>
        public static bool GlobMatches(string pattern, string text)
        {
            var p = 0;
            var t = 0;
            var starPattern = -1;
            var starText = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || CharEquals(pattern[p], text[t])))
                {
                    p++;
                    t++;
                }
                else if (p < pattern.Length && pattern[p] == '*')
                {
                    starPattern = p++;
                    starText = t;
                }
                else if (starPattern >= 0)
                {
                    p = starPattern + 1;
                    t = ++starText;
                }
                else
                {
                    return false;
                }
            }

            while (p < pattern.Length && pattern[p] == '*')
            {
                p++;
            }

            return p == pattern.Length;
        }

        private static bool CharEquals(char a, char b)
        {
            return a == b || char.ToLowerInvariant(a) == char.ToLowerInvariant(b);
        }
    }
}
