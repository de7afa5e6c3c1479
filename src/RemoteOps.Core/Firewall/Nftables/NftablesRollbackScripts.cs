using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Firewall.Nftables
{
    /// <summary>
    /// The shell side of the nftables commit-confirm: POSIX sh scripts run on the host, each with
    /// its values as positional arguments (never pasted into the script text).
    /// </summary>
    /// <remarks>
    /// <para>State lives in one directory per table (mode 0700, owned by the SSH account):
    /// "pending" (key=value lines: id, deadline and armed as the host's epoch seconds, boot id,
    /// timer, description), "rollback-ID.nft" (the table as it was, with the lines that replace
    /// the table by it in one transaction), "timer-ID" (the timer's pid) and "done-ID" (a
    /// rollback the host ran by itself, kept until a client reports it).</para>
    /// <para>Whoever acts first on a pending change claims it by renaming "pending" (rename is
    /// atomic): the timer to roll back, Confirm to keep, Undo to roll back now. The loser finds
    /// the file gone and leaves the table alone, so a confirm that races the deadline never
    /// ends with both.</para>
    /// <para>The timer is "fire.sh ... wait" started with setsid (a session of its own: it
    /// outlives the SSH connection and its hang-up), or, on a host booted with systemd, a
    /// transient systemd-run timer outside the login session (systemd-logind's
    /// KillUserProcesses would end a setsid process with the session; systemd-run(1)).</para>
    /// </remarks>
    internal static class NftablesRollbackScripts
    {
        /// <summary>The default state directory, below the SSH account's home.</summary>
        internal const string DefaultBase = "$HOME/.remoteops/nftables";

        /// <summary>Sets d to the directory $1, with a leading $HOME/ expanded by the host's shell (the value itself is never evaluated).</summary>
        private const string Dir = "d=$1; case $d in '$HOME/'*) d=\"$HOME/${d#'$HOME/'}\";; esac\n";

        /// <summary>
        /// Runs the rollback of change $2 in directory $1: "wait" first records its pid and
        /// sleeps to the deadline; then, only while the change is still pending and this one
        /// (claimed by renaming "pending"), loads the saved table with nft -f and records the
        /// outcome in done-ID. $3: "wait" or "now"; $4: "sudo" to run nft through sudo -n when not root;
        /// $5: who rolled it back ("timer" or "undo").
        /// </summary>
        internal const string Fire =
            "d=$1; c=$2; cd \"$d\" || exit 1\n" +
            "if [ \"$3\" = wait ]; then\n" +
            "  echo \"pid=$$\" > \"timer-$c.tmp\" && mv -f \"timer-$c.tmp\" \"timer-$c\"\n" +
            "  dl=$(sed -n 's/^deadline=//p' pending 2>/dev/null)\n" +
            "  [ -n \"$dl\" ] || exit 0\n" +
            "  while now=$(date +%s); [ \"$now\" -lt \"$dl\" ]; do sleep $((dl - now)); done\n" +
            "fi\n" +
            "grep -qx \"id=$c\" pending 2>/dev/null || exit 0\n" +
            "mv pending \"firing-$c\" 2>/dev/null || exit 0\n" +
            "if [ \"$4\" = sudo ] && [ \"$(id -u)\" != 0 ]; then sudo -n nft -f \"rollback-$c.nft\" > \"err-$c\" 2>&1; else nft -f \"rollback-$c.nft\" > \"err-$c\" 2>&1; fi\n" +
            "rc=$?\n" +
            "if [ \"$rc\" = 0 ]; then o=RolledBack; else o=RollbackFailed; fi\n" +
            "{ cat \"firing-$c\"; echo \"outcome=$o\"; echo \"settled=$(date +%s)\"; echo \"by=$5\"; " +
            "echo \"error=$(tr '\\n' ' ' < \"err-$c\" | cut -c1-400)\"; } > \"done-$c.tmp\" && mv -f \"done-$c.tmp\" \"done-$c\"\n" +
            "rm -f \"firing-$c\" \"err-$c\" \"timer-$c\"\n" +
            "[ \"$rc\" = 0 ] && rm -f \"rollback-$c.nft\"\n" +
            "exit 0\n";

        /// <summary>
        /// Prepares change $2 in directory $1 with a window of $3 seconds and description $4;
        /// standard input is the rollback script. Exit 3 with the pending change when one is
        /// there; otherwise prints now, deadline, the state directory and the timer to use.
        /// </summary>
        internal const string Prepare = Dir +
            "c=$2; umask 077\n" +
            "mkdir -p \"$d\" && cd \"$d\" || { echo \"cannot create $d\" >&2; exit 20; }\n" +
            "if [ -f pending ]; then cat pending; exit 3; fi\n" +
            "cat > \"rollback-$c.nft.tmp\" && mv -f \"rollback-$c.nft.tmp\" \"rollback-$c.nft\" || exit 21\n" +
            "printf '%s' \"$5\" > fire.sh || exit 21\n" +
            "now=$(date +%s); dl=$((now + $3))\n" +
            "printf 'id=%s\\ndeadline=%s\\narmed=%s\\nboot=%s\\ndescription=%s\\n' \"$c\" \"$dl\" \"$now\" \"$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)\" \"$4\" > pending.tmp && mv -f pending.tmp pending || exit 21\n" +
            "echo \"now=$now\"; echo \"deadline=$dl\"; echo \"dir=$(pwd)\"\n" +
            "if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then echo timer=systemd-run; " +
            "elif command -v setsid >/dev/null 2>&1; then echo timer=setsid; else echo timer=none; fi\n";

        /// <summary>Starts the setsid timer of change $2 in $1 ($3: "sudo" or "nosudo") and prints its pid once it has recorded it.</summary>
        internal const string StartSetsid = Dir +
            "c=$2; cd \"$d\" || exit 20\n" +
            "echo 'timer=setsid' >> pending\n" +
            "setsid /bin/sh \"$d/fire.sh\" \"$d\" \"$c\" wait \"$3\" timer < /dev/null > /dev/null 2>&1 &\n" +
            "n=0; while [ ! -s \"timer-$c\" ] && [ \"$n\" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done\n" +
            "cat \"timer-$c\" 2>/dev/null\n";

        /// <summary>Records that change $2 in $1 runs on the systemd timer unit $3.</summary>
        internal const string RecordUnit = Dir +
            "cd \"$d\" || exit 20\necho \"timer=systemd-run\" >> pending; echo \"unit=$3\" >> pending\n";

        /// <summary>
        /// Lists the state of $1: now, boot id, the pending change (with whether its setsid timer
        /// still runs) and every done-ID, each taken (renamed, then removed) so that it is reported once.
        /// </summary>
        internal const string Status = Dir +
            "echo \"now=$(date +%s)\"; echo \"boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)\"\n" +
            "cd \"$d\" 2>/dev/null || exit 0\n" +
            "if [ -f pending ]; then echo '[pending]'; cat pending; c=$(sed -n 's/^id=//p' pending)\n" +
            "  p=$(sed -n 's/^pid=//p' \"timer-$c\" 2>/dev/null)\n" +
            "  if [ -n \"$p\" ]; then if kill -0 \"$p\" 2>/dev/null && grep -q \"$c\" \"/proc/$p/cmdline\" 2>/dev/null; then echo alive=1; else echo alive=0; fi; fi\n" +
            "fi\n" +
            "for f in done-*; do [ -f \"$f\" ] || continue; case $f in *.tmp) continue;; esac\n" +
            "  mv \"$f\" \"$f.taken\" 2>/dev/null || continue; echo '[done]'; cat \"$f.taken\"; rm -f \"$f.taken\"; done\n";

        /// <summary>
        /// Claims pending change $2 in $1 for $3 ("confirmed" or "undoing"): prints the pending
        /// lines and exit 0; exit 4 when the change is not (or no longer) pending.
        /// </summary>
        internal const string Claim = Dir +
            "cd \"$d\" 2>/dev/null || exit 4\n" +
            "grep -qx \"id=$2\" pending 2>/dev/null || exit 4\n" +
            "mv pending \"$3-$2\" 2>/dev/null || exit 4\n" +
            "cat \"$3-$2\"; echo \"now=$(date +%s)\"\n";

        /// <summary>Stops the setsid timer of change $2 (in the current directory): only the process that is that timer, with its sleep (its process group).</summary>
        private const string KillTimer =
            "p=$(sed -n 's/^pid=//p' \"timer-$2\" 2>/dev/null)\n" +
            "if [ -n \"$p\" ] && grep -q \"$2\" \"/proc/$p/cmdline\" 2>/dev/null; then kill -TERM -- \"-$p\" 2>/dev/null || kill -TERM \"$p\" 2>/dev/null; fi\n";

        /// <summary>Stops the setsid timer of change $2 in $1 (only the process that is that timer) and removes the change's files but a done record.</summary>
        internal const string Forget = Dir +
            "cd \"$d\" 2>/dev/null || exit 0\n" +
            KillTimer +
            "rm -f \"timer-$2\" \"rollback-$2.nft\" \"confirmed-$2\" \"undoing-$2\" \"err-$2\"\n";

        /// <summary>Rolls change $2 in $1 back now (claimed as undoing-ID by <see cref="Claim"/>): puts the claim back as pending for fire.sh, which runs at once; prints the done record.</summary>
        internal const string RollBackNow = Dir +
            "cd \"$d\" || exit 20\n" + KillTimer +
            "mv \"undoing-$2\" pending || exit 4\n" +
            "/bin/sh \"$d/fire.sh\" \"$d\" \"$2\" now \"$3\" undo\n" +
            "cat \"done-$2\" 2>/dev/null && rm -f \"done-$2\"; echo \"now=$(date +%s)\"\n";

        /// <summary>The whole command line: /bin/sh -c SCRIPT with its arguments, every one quoted.</summary>
        internal static string Line(string script, params string[] args) =>
            PosixShell.JoinCommand("/bin/sh", new[] { "-c", script, "ro" }.Concat(args).ToArray());

        /// <summary>Reads key=value lines into blocks: a line "[name]" starts a block of that name; lines before any such line form the block "".</summary>
        internal static List<(string Name, Dictionary<string, string> Values)> ParseBlocks(string output)
        {
            var blocks = new List<(string, Dictionary<string, string>)> { (string.Empty, new Dictionary<string, string>(StringComparer.Ordinal)) };
            foreach (string raw in (output ?? string.Empty).Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.StartsWith("[", StringComparison.Ordinal) && line.EndsWith("]", StringComparison.Ordinal))
                {
                    blocks.Add((line.Substring(1, line.Length - 2), new Dictionary<string, string>(StringComparer.Ordinal)));
                    continue;
                }

                int equals = line.IndexOf('=');
                if (equals > 0)
                {
                    // The last value wins: the start scripts append timer= after prepare wrote its lines.
                    blocks[blocks.Count - 1].Item2[line.Substring(0, equals)] = line.Substring(equals + 1);
                }
            }

            return blocks;
        }

        /// <summary>An epoch-seconds value from the host, or null.</summary>
        internal static long? Seconds(Dictionary<string, string> values, string key) =>
            values.TryGetValue(key, out string text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : (long?)null;
    }
}
