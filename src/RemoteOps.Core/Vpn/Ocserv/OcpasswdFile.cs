using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Vpn.Ocserv
{
    /// <summary>
    /// ocserv's plain password file, as written by ocpasswd: one <c>user:groups:hash</c> line per
    /// user. A hash starting with '!' is locked; the group field is "*" (none) or a comma list.
    /// </summary>
    /// <remarks>
    /// Read like ocserv's plain auth reads it: the first line whose first field is the name
    /// wins, and a line with fewer than three fields names no usable account. Lines starting
    /// with '#' are taken as comments. Hashes never leave this class: an entry keeps only a
    /// digest of its hash, to tell whether a write changed it.
    /// </remarks>
    internal static class OcpasswdFile
    {
        /// <summary>What a redacted users section shows instead of a hash.</summary>
        public const string HashWithheld = "(hash withheld)";

        /// <summary>The users, first line per name only, in file order.</summary>
        public static IReadOnlyList<OcpasswdEntry> Parse(string text)
        {
            var entries = new List<OcpasswdEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string line in Lines(text))
            {
                OcpasswdEntry entry = ParseLine(line);
                if (entry != null && seen.Add(entry.UserName))
                {
                    entries.Add(entry);
                }
            }

            return entries;
        }

        /// <summary>The entry of a user (ordinal: ocserv compares names with strcmp), or null.</summary>
        public static OcpasswdEntry Find(IEnumerable<OcpasswdEntry> entries, string userName)
            => entries.FirstOrDefault(e => string.Equals(e.UserName, userName, StringComparison.Ordinal));

        /// <summary>
        /// The file with every hash replaced by <see cref="HashWithheld"/> ('!' kept, so the
        /// lock state still shows). Comments and malformed lines are left out: they could hold
        /// anything, a pasted hash included.
        /// </summary>
        public static string Redact(string text)
        {
            var builder = new StringBuilder();
            foreach (string line in Lines(text))
            {
                OcpasswdEntry entry = ParseLine(line);
                if (entry != null)
                {
                    builder.Append(entry.UserName).Append(':').Append(entry.GroupField).Append(':')
                        .Append(entry.Locked ? "!" : string.Empty).Append(HashWithheld).Append('\n');
                }
            }

            return builder.ToString();
        }

        /// <summary>
        /// The file with the group field of the user's line (the first whose first field is the
        /// name, as ocserv reads it) replaced, everything else kept byte for byte; null when no
        /// such line has a group field.
        /// </summary>
        public static string WithGroupField(string text, string userName, string groupField)
        {
            string[] lines = (text ?? string.Empty).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                int first = line.IndexOf(':');
                if (first > 0 && line[0] != '#' && string.Equals(line.Substring(0, first), userName, StringComparison.Ordinal))
                {
                    int second = line.IndexOf(':', first + 1);
                    if (second < 0)
                    {
                        continue;
                    }

                    lines[i] = userName + ":" + groupField + line.Substring(second);
                    string result = string.Join("\n", lines);
                    return result.Length == 0 || result.EndsWith("\n", StringComparison.Ordinal) ? result : result + "\n";
                }
            }

            return null;
        }

        /// <summary>Splits a group field: "*" and empty mean none; names are trimmed, as ocserv does.</summary>
        public static string[] SplitGroups(string field)
            => (field ?? string.Empty).Split(',')
                .Select(g => g.Trim())
                .Where(g => g.Length > 0 && g != "*")
                .ToArray();

        private static IEnumerable<string> Lines(string text)
            => (text ?? string.Empty).Split('\n').Select(l => l.EndsWith("\r", StringComparison.Ordinal) ? l.Substring(0, l.Length - 1) : l);

        private static OcpasswdEntry ParseLine(string line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                return null;
            }

            int first = line.IndexOf(':');
            int second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (first <= 0 || second < 0)
            {
                return null;
            }

            string user = line.Substring(0, first);
            string groups = line.Substring(first + 1, second - first - 1);
            string rest = line.Substring(second + 1);
            int third = rest.IndexOf(':');
            string hash = third < 0 ? rest : rest.Substring(0, third);
            bool locked = hash.StartsWith("!", StringComparison.Ordinal);
            string bare = locked ? hash.Substring(1) : hash;
            return new OcpasswdEntry(user, groups, SplitGroups(groups), locked, Digest(bare), UsableHash.IsMatch(bare));
        }

        // A crypt hash: "$id$..." (ocpasswd writes $5$) or traditional DES (13 characters). crypt's
        // failure tokens ("*0", "*1") and an empty field match no password.
        private static readonly Regex UsableHash = new Regex(@"^(\$[0-9a-z]+\$[^*:\s]+|[./0-9A-Za-z]{13})\z", RegexOptions.CultureInvariant);

        private static string Digest(string hash)
        {
            using (SHA256 sha = SHA256.Create())
            {
                return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(hash)));
            }
        }
    }

    /// <summary>One user line of an ocpasswd file, without its hash.</summary>
    internal sealed class OcpasswdEntry
    {
        public OcpasswdEntry(string userName, string groupField, string[] groups, bool locked, string hashDigest, bool hashUsable)
        {
            HashUsable = hashUsable;
            UserName = userName;
            GroupField = groupField;
            Groups = groups;
            Locked = locked;
            HashDigest = hashDigest;
        }

        /// <summary>The first field.</summary>
        public string UserName { get; }

        /// <summary>The group field as written ("*", "", "a,b").</summary>
        public string GroupField { get; }

        /// <summary>The groups, "*" removed.</summary>
        public string[] Groups { get; }

        /// <summary>True when the hash starts with '!'.</summary>
        public bool Locked { get; }

        /// <summary>SHA-256 of the hash without its lock mark: tells a changed password from an unchanged one.</summary>
        public string HashDigest { get; }

        /// <summary>True when the hash (lock mark aside) has the form of a crypt hash some password can match.</summary>
        public bool HashUsable { get; }

        public override string ToString() => UserName;
    }
}
