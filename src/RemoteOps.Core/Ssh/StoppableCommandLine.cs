using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Wraps a command line so that it can be stopped on the host later, for every login. The
    /// SSH "signal" request cannot do it: OpenSSH refuses it for root logins ("session
    /// signalling requires privilege separation"), and under sudo the signal would come from an
    /// account that may not signal the command. So a small fixed sh script starts the command
    /// in a session (and process group) of its own and reports that group on standard error
    /// behind a marker no output can guess; the marker line is taken out of the output again,
    /// and <see cref="KillLine"/> ends the group over a second channel.
    /// </summary>
    /// <remarks>
    /// The user's command line travels as a separate quoted argument, never inside the scripts.
    /// Without setsid on the host (it is in util-linux and busybox) the command runs in the
    /// wrapper's group and only the process the wrapper started can be stopped.
    /// </remarks>
    public sealed class StoppableCommandLine
    {
        // Runs as the child: reports its own PID (its group's id when setsid made it a leader)
        // before anything of the command can write, then becomes the command's shell.
        // $1 = marker, $2... = the shell and its arguments.
        private const string Reporter = "printf '%s%s\\n' \"$1\" \"$$\" >&2; shift; exec \"$@\"";

        // $1 = the reporter script, $2 = marker prefix, $3 = the shell ('' for the login
        // shell), $4 = the command line.
        // OpenSSH starts every session's shell as the leader of a new session and process group,
        // so when the wrapper (which that shell exec'd) still leads its group, it reports itself
        // and execs the command's shell in place: no fork and no setsid, two processes fewer on
        // the host for every command. The group is read from /proc; where it cannot be read, or
        // the wrapper is not a leader (under sudo, or a server that does not make one), the
        // command starts in a group of its own instead. Standard input is then handed to it on
        // fd 3, because sh gives a background job /dev/null otherwise, and a command killed by a
        // signal kills the wrapper with it, so the exit status (none, and the signal) stays as SSH
        // would have reported it without the wrapper.
        private const string Wrapper =
            "r=$1; m=$2; s=$3; [ -n \"$s\" ] || s=${SHELL:-/bin/sh}; " +
            "g=; { read -r _ _ _ _ g _ </proc/$$/stat; } 2>/dev/null; " +
            "if [ \"$g\" = \"$$\" ]; then printf '%s%s\\n' \"${m}g\" \"$$\" >&2; exec \"$s\" -c \"$4\"; fi; " +
            "exec 3<&0; " +
            "if command -v setsid >/dev/null 2>&1; then setsid /bin/sh -c \"$r\" ro \"${m}g\" \"$s\" -c \"$4\" 0<&3 3<&- & " +
            "else /bin/sh -c \"$r\" ro \"${m}p\" \"$s\" -c \"$4\" 0<&3 3<&- & fi; " +
            "exec 3<&-; wait \"$!\"; e=$?; " +
            "if [ \"$e\" -gt 128 ] && [ \"$e\" -lt 160 ]; then kill -s \"$(kill -l \"$e\")\" \"$$\"; fi; exit \"$e\"";

        // $1 = the target: -PGID for a group, PID for one process. TERM, then KILL after about
        // a second, then two more seconds to see it go; prints 'gone' or 'alive'.
        private const string Killer =
            "t=$1; kill -s 0 -- \"$t\" 2>/dev/null || { echo gone; exit 0; }; kill -s TERM -- \"$t\" 2>/dev/null; n=0; " +
            "while kill -s 0 -- \"$t\" 2>/dev/null; do n=$((n+1)); " +
            "if [ \"$n\" -gt 5 ]; then kill -s KILL -- \"$t\" 2>/dev/null; fi; " +
            "if [ \"$n\" -gt 15 ]; then echo alive; exit 1; fi; sleep 0.2 2>/dev/null || sleep 1; done; echo gone";

        private readonly string marker;
        private readonly Regex markerLine;

        private StoppableCommandLine(string commandLine, bool useSudo, string nonce)
        {
            UseSudo = useSudo;
            marker = "RemoteOpsPid-" + nonce + ":";
            markerLine = new Regex(Regex.Escape(marker) + "([gp])([0-9]{1,10})\\n", RegexOptions.CultureInvariant);
            string wrapped = PosixShell.JoinCommand("/bin/sh", "-c", Wrapper, "ro", Reporter, marker, useSudo ? "sh" : string.Empty, commandLine);
            Text = useSudo ? "sudo -n -- " + wrapped : "exec " + wrapped;
        }

        /// <summary>The line to send.</summary>
        public string Text { get; }

        /// <summary>True when the command runs under 'sudo -n', so stopping it needs sudo too.</summary>
        public bool UseSudo { get; }

        /// <summary>Wraps <paramref name="commandLine"/>; the marker is new and random for each command.</summary>
        public static StoppableCommandLine Wrap(string commandLine, bool useSudo)
            => new StoppableCommandLine(commandLine, useSudo, Guid.NewGuid().ToString("N"));

        /// <summary>
        /// Finds the process report in <paramref name="standardError"/>: the target to kill
        /// ("-PGID" or "PID"), or null when the command never started (sudo refused, say).
        /// </summary>
        public string FindKillTarget(string standardError)
        {
            Match match = markerLine.Match(standardError ?? string.Empty);
            if (!match.Success || !int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id < 2)
            {
                return null;
            }

            return match.Groups[1].Value == "g" ? "-" + id.ToString(CultureInfo.InvariantCulture) : id.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>Standard error without the process report.</summary>
        public string StripMarker(string standardError)
            => string.IsNullOrEmpty(standardError) ? string.Empty : markerLine.Replace(standardError, string.Empty, 1);

        /// <summary>The line that stops <paramref name="killTarget"/> (from <see cref="FindKillTarget"/>), under sudo when the command ran so.</summary>
        public string KillLine(string killTarget)
        {
            if (killTarget == null || !Regex.IsMatch(killTarget, "^-?[0-9]{1,10}$"))
            {
                throw new ArgumentException($"'{killTarget}' is not a process or process group id.", nameof(killTarget));
            }

            string line = PosixShell.JoinCommand("/bin/sh", "-c", Killer, "ro", killTarget);
            return UseSudo ? "sudo -n -- " + line : line;
        }
    }
}
