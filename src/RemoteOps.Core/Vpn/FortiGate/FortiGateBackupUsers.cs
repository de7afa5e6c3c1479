using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn.FortiGate
{
    /// <summary>
    /// The users of a FortiGate backup: the "config user local" and "config user group" blocks
    /// of its configuration text (FortiOS CLI reference: config user local, config user group).
    /// In a backup with VDOMs only the root VDOM is read, the one the driver manages.
    /// </summary>
    internal static class FortiGateBackupUsers
    {
        internal const string Section = "fortigate.conf";

        internal static IReadOnlyList<BackupUser> Read(ConfigBackup backup)
        {
            if (backup == null || !backup.Sections.TryGetValue(Section, out string text) || text == null)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"The backup has no '{Section}' section, so it holds no FortiGate users to restore.", "Use a backup made by Export-RoVpnConfig from a FortiGate connection.");
            }

            var users = new List<BackupUser>();
            var byName = new Dictionary<string, BackupUser>(StringComparer.OrdinalIgnoreCase);
            var groups = new List<KeyValuePair<string, IReadOnlyList<string>>>();
            foreach (ConfigEntry entry in Entries(text))
            {
                if (entry.Table == "user local" && !byName.ContainsKey(entry.Name))
                {
                    string type = entry.Value("type") ?? "password";
                    var user = new BackupUser
                    {
                        UserName = entry.Name,
                        FullName = entry.Value("email-to"),
                        Enabled = !string.Equals(entry.Value("status"), "disable", StringComparison.OrdinalIgnoreCase),
                        CannotCreateBecause = type == "password" ? null : $"it signs in through {type}, and only password users can be created from a backup",
                    };
                    byName[user.UserName] = user;
                    users.Add(user);
                }
                else if (entry.Table == "user group")
                {
                    groups.Add(new KeyValuePair<string, IReadOnlyList<string>>(entry.Name, entry.Values("member")));
                }
            }

            foreach (BackupUser user in users)
            {
                user.Groups = groups.Where(g => g.Value.Contains(user.UserName, StringComparer.Ordinal)).Select(g => g.Key).ToArray();
            }

            return users;
        }

        /// <summary>
        /// The "config user group" entries. A group without "set group-type" is a firewall group
        /// (the default, left out of a backup); fsso-service, rsso and guest groups hold no local
        /// users and are not created from a backup.
        /// </summary>
        internal static IReadOnlyList<BackupGroup> ReadGroups(ConfigBackup backup)
        {
            if (backup == null || !backup.Sections.TryGetValue(Section, out string text) || text == null)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"The backup has no '{Section}' section, so it holds no FortiGate groups to restore.", "Use a backup made by Export-RoVpnConfig from a FortiGate connection.");
            }

            var groups = new List<BackupGroup>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (ConfigEntry entry in Entries(text).Where(e => e.Table == "user group"))
            {
                if (!seen.Add(entry.Name))
                {
                    continue;
                }

                string type = entry.Value("group-type") ?? "firewall";
                groups.Add(new BackupGroup
                {
                    Name = entry.Name,
                    CannotCreateBecause = type == "firewall" ? null : $"it is a {type} group, and only firewall groups are created from a backup",
                });
            }

            return groups;
        }

        /// <summary>Every "edit" of the configuration with the table it is in and its own "set" lines.</summary>
        internal static IEnumerable<ConfigEntry> Entries(string text)
        {
            // Each open block: a table ("config user local") or an entry ("edit ...") of one.
            var blocks = new Stack<Block>();
            foreach (string raw in (text ?? string.Empty).Split('\n'))
            {
                List<string> words = Words(raw.Trim());
                if (words.Count == 0)
                {
                    continue;
                }

                Block open = blocks.Count == 0 ? null : blocks.Peek();
                switch (words[0])
                {
                    case "config":
                        blocks.Push(new Block { Table = string.Join(" ", words.Skip(1)), Vdom = open?.Vdom });
                        break;
                    case "edit" when words.Count > 1 && open != null && open.Entry == null:
                        var entry = new ConfigEntry(open.Table, words[1]);
                        // The entries of "config vdom" are the VDOMs: what follows belongs to that VDOM.
                        blocks.Push(new Block { Table = open.Table, Entry = entry, Vdom = open.Table == "vdom" ? words[1] : open.Vdom });
                        break;
                    case "set" when words.Count > 1 && open?.Entry != null:
                        open.Entry.Settings[words[1]] = words.Skip(2).ToList();
                        break;
                    case "next" when open?.Entry != null:
                    case "end" when open != null:
                        blocks.Pop();
                        if (open.Entry != null && (open.Vdom == null || open.Vdom == "root" || open.Table == "vdom"))
                        {
                            yield return open.Entry;
                        }

                        // "end" also closes an entry left open (a missing "next").
                        if (words[0] == "end" && open.Entry != null && blocks.Count > 0)
                        {
                            blocks.Pop();
                        }

                        break;
                }
            }
        }

        // Words of a line: "quoted strings" (with \" and \\ escapes) or runs of non-blanks.
        private static List<string> Words(string line)
        {
            var words = new List<string>();
            int i = 0;
            while (i < line.Length)
            {
                if (char.IsWhiteSpace(line[i]))
                {
                    i++;
                    continue;
                }

                var word = new StringBuilder();
                if (line[i] == '"')
                {
                    for (i++; i < line.Length && line[i] != '"'; i++)
                    {
                        if (line[i] == '\\' && i + 1 < line.Length)
                        {
                            i++;
                        }

                        word.Append(line[i]);
                    }

                    i++;
                }
                else
                {
                    for (; i < line.Length && !char.IsWhiteSpace(line[i]); i++)
                    {
                        word.Append(line[i]);
                    }
                }

                words.Add(word.ToString());
            }

            return words;
        }

        private sealed class Block
        {
            internal string Table;
            internal ConfigEntry Entry;
            internal string Vdom;
        }
    }

    /// <summary>One "edit" of a FortiOS configuration table with its "set" values.</summary>
    internal sealed class ConfigEntry
    {
        internal ConfigEntry(string table, string name)
        {
            Table = table;
            Name = name;
        }

        /// <summary>The table, as after "config" ("user local").</summary>
        internal string Table { get; }

        /// <summary>The entry's name, as after "edit".</summary>
        internal string Name { get; }

        /// <summary>Each "set" name with its words.</summary>
        internal Dictionary<string, List<string>> Settings { get; } = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        /// <summary>The first word of a setting, or null when it is not set.</summary>
        internal string Value(string name) => Settings.TryGetValue(name, out var words) && words.Count > 0 ? words[0] : null;

        /// <summary>Every word of a setting (a member list), empty when it is not set.</summary>
        internal IReadOnlyList<string> Values(string name) => Settings.TryGetValue(name, out var words) ? words : new List<string>();
    }
}
