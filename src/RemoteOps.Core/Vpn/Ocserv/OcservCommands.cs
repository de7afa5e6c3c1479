using System.Collections.Generic;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Vpn.Ocserv
{
    /// <summary>
    /// The commands the ocserv driver sends. Every command that needs privileges is one program
    /// with fixed options and validated values, run by <see cref="IRemoteShell.RunPrivilegedAsync"/>
    /// (under 'sudo -n' for a non-root account), never a shell script: so a sudoers rule can allow
    /// exactly these commands (docs/ocserv-sudoers.md). Passwords are never part of a command:
    /// they go on standard input. Programs are named without a path: sudo finds them in its
    /// secure_path and matches the rule against the full path it found.
    /// </summary>
    internal static class OcservCommands
    {
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

        /// <summary>cat -- FILE: prints a file.</summary>
        public static string[] ReadFile(string path) => new[] { "cat", "--", path };

        /// <summary>test -f FILE: exit code 0 when a regular file exists, 1 when not.</summary>
        public static string[] FileExists(string path) => new[] { "test", "-f", path };

        /// <summary>ocpasswd -c FILE [-g GROUPS] -- USER: creates the user or replaces the line (password on standard input).</summary>
        public static string[] SetPassword(string passwdFile, string groupField, string userName)
        {
            var args = new List<string> { "ocpasswd", "-c", passwdFile };
            if (groupField != null)
            {
                args.Add("-g");
                args.Add(groupField);
            }

            args.Add("--");
            args.Add(userName);
            return args.ToArray();
        }

        /// <summary>ocpasswd -c FILE -l|-u|-d -- USER.</summary>
        public static string[] Ocpasswd(string passwdFile, string flag, string userName)
            => new[] { "ocpasswd", "-c", passwdFile, flag, "--", userName };

        // The group rewrite (ocpasswd cannot change groups without setting a password) in fixed
        // steps: take ocpasswd's own lock, FILE.tmp, created exclusively (a symbolic link to the
        // file: ln fails when the name exists, and ocpasswd 1.1.6, which checks that FILE.tmp
        // exists, reports "is locked"; a link to a missing file would not stop it); copy the file
        // with its owner and mode to FILE.new; write the new content into it; move it over the
        // file, so readers see the old or the new file, never half of one; drop the lock.

        /// <summary>ln -s -T -- FILE FILE.tmp: takes ocpasswd's lock; fails when it is held.</summary>
        public static string[] Lock(string passwdFile) => new[] { "ln", "-s", "-T", "--", passwdFile, passwdFile + ".tmp" };

        /// <summary>cp -p -- FILE FILE.new: the new file starts with the owner and mode of the old one.</summary>
        public static string[] CopyForRewrite(string passwdFile) => new[] { "cp", "-p", "--", passwdFile, passwdFile + ".new" };

        /// <summary>tee -- FILE.new: writes standard input into the copy (truncating it, keeping owner and mode).</summary>
        public static string[] WriteRewrite(string passwdFile) => new[] { "tee", "--", passwdFile + ".new" };

        /// <summary>mv -f -- FILE.new FILE: replaces the file in one step.</summary>
        public static string[] ReplaceWithRewrite(string passwdFile) => new[] { "mv", "-f", "--", passwdFile + ".new", passwdFile };

        /// <summary>rm -f -- FILE.new FILE.tmp: drops the copy (if left) and the lock.</summary>
        public static string[] Unlock(string passwdFile) => new[] { "rm", "-f", "--", passwdFile + ".new", passwdFile + ".tmp" };

        /// <summary>occtl [-s SOCKET] [--json] WORDS...</summary>
        public static string[] Occtl(string socket, bool json, params string[] words)
        {
            var args = new List<string> { "occtl" };
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
            return args.ToArray();
        }
    }
}
