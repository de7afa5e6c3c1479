using System.Collections.Generic;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Vpn.Ocserv
{
    /// <summary>
    /// The command lines the ocserv driver sends. Every value is quoted by <see cref="PosixShell"/>;
    /// scripts are constant text and get their values as positional parameters ($1, $2, ...),
    /// never pasted in. Passwords are never part of a command line: they go on standard input.
    /// </summary>
    internal static class OcservCommands
    {
        /// <summary>
        /// Rewrites the group field of one user in an ocpasswd file, keeping the hash (ocpasswd
        /// has no "change group only" mode, and re-setting the password would need the password).
        /// $1 = file, $2 = user, $3 = new group field.
        /// </summary>
        /// <remarks>
        /// Takes ocpasswd's own lock: FILE.tmp, created exclusively (noclobber uses O_EXCL), so an
        /// ocpasswd run at the same time fails with "is locked" instead of losing a change, and
        /// this script fails the same way while an ocpasswd runs. cp -p gives the temporary file
        /// the owner and mode of the original before anything is written to it; the finished
        /// file is moved over the original, so readers (ocserv's plain auth re-reads the file at
        /// every login) see the old or the new file, never a half-written one.
        /// Exit codes: 0 done, 3 locked, 4 user not in the file, 5 file missing, other: failed.
        /// </remarks>
        public const string SetGroupsScript =
            "f=$1; u=$2; g=$3; t=$f.tmp\n" +
            "umask 077\n" +
            "if [ ! -f \"$f\" ]; then printf \"Cannot open '%s' for reading.\\n\" \"$f\" >&2; exit 5; fi\n" +
            "if [ -e \"$t\" ]; then printf \"file '%s' is locked.\\n\" \"$t\" >&2; exit 3; fi\n" +
            "set -C\n" +
            "if ! true > \"$t\"; then\n" +
            "  if [ -e \"$t\" ]; then printf \"file '%s' is locked.\\n\" \"$t\" >&2; exit 3; fi\n" +
            "  exit 1\n" +
            "fi\n" +
            "set +C\n" +
            "trap 'rm -f -- \"$t\"' EXIT\n" +
            "trap 'exit 1' HUP INT TERM\n" +
            "cp -p -- \"$f\" \"$t\" || exit 1\n" +
            "RO_USER=$u RO_GROUPS=$g awk '\n" +
            "BEGIN { u = \"\" ENVIRON[\"RO_USER\"]; g = \"\" ENVIRON[\"RO_GROUPS\"]; n = 0 }\n" +
            "{\n" +
            "  i = index($0, \":\")\n" +
            "  if (!n && i > 1 && substr($0, 1, i - 1) == u) {\n" +
            "    r = substr($0, i + 1); j = index(r, \":\")\n" +
            "    if (j > 0) { print u \":\" g \":\" substr(r, j + 1); n = 1; next }\n" +
            "  }\n" +
            "  print\n" +
            "}\n" +
            "END { if (!n) exit 4 }' \"$f\" > \"$t\" || exit $?\n" +
            "trap - EXIT HUP INT TERM\n" +
            "mv -f -- \"$t\" \"$f\" || { rm -f -- \"$t\"; exit 1; }\n";

        /// <summary>Host name, UTC offset and ocserv's version line, one "key=value" per line; best effort.</summary>
        /// <remarks>
        /// ocserv 1.1.6 prints its version on standard error, so both streams are read; ocserv
        /// lives in /usr/sbin, which a non-root account's PATH often lacks, and a missing ocserv
        /// must leave the version empty rather than report the shell's "not found" as a version.
        /// </remarks>
        public const string ServerInfo =
            "printf 'name=%s\\n' \"$(uname -n 2>/dev/null)\"; " +
            "printf 'offset=%s\\n' \"$(date +%z 2>/dev/null)\"; " +
            "printf 'version=%s\\n' \"$(PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin; " +
            "if command -v ocserv >/dev/null 2>&1; then ocserv --version 2>&1 | head -n 1; fi)\"";

        /// <summary>Prints a file; prints nothing (and succeeds) when it does not exist.</summary>
        public static string ReadFileIfPresent(string path)
        {
            string quoted = PosixShell.Quote(path);
            return $"if [ -e {quoted} ]; then cat -- {quoted}; fi";
        }

        /// <summary>Prints a file; fails when it cannot.</summary>
        public static string ReadFile(string path) => PosixShell.JoinCommand("cat", "--", path);

        /// <summary>Succeeds when a regular file exists; prints nothing either way.</summary>
        public static string FileExists(string path) => "[ -f " + PosixShell.Quote(path) + " ]";

        /// <summary>ocpasswd -c FILE [-g GROUPS] -- USER: creates the user or replaces the line (password on standard input).</summary>
        public static string SetPassword(string passwdFile, string groupField, string userName)
        {
            var args = new List<string> { "-c", passwdFile };
            if (groupField != null)
            {
                args.Add("-g");
                args.Add(groupField);
            }

            args.Add("--");
            args.Add(userName);
            return PosixShell.JoinCommand("ocpasswd", args.ToArray());
        }

        /// <summary>ocpasswd -c FILE -l|-u|-d -- USER.</summary>
        public static string Ocpasswd(string passwdFile, string flag, string userName)
            => PosixShell.JoinCommand("ocpasswd", "-c", passwdFile, flag, "--", userName);

        /// <summary>sh -c SCRIPT sh FILE USER GROUPS.</summary>
        public static string SetGroups(string passwdFile, string userName, string groupField)
            => PosixShell.JoinCommand("sh", "-c", SetGroupsScript, "sh", passwdFile, userName, groupField);

        /// <summary>occtl [-s SOCKET] [--json] WORDS...</summary>
        public static string Occtl(string socket, bool json, params string[] words)
        {
            var args = new List<string>();
            if (socket != null)
            {
                args.Add("-s");
                args.Add(socket);
            }

            if (json)
            {
                args.Add("--json");
            }

            args.AddRange(words);
            return PosixShell.JoinCommand("occtl", args.ToArray());
        }
    }
}
