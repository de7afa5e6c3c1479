using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn.Ocserv
{
    /// <summary>
    /// Turns a failed remote command into a classified <see cref="ApplianceException"/>.
    /// The message quotes the command's error output, shortened, with any secret the command
    /// was given on standard input masked (ocpasswd never echoes it; this is a second guard).
    /// </summary>
    internal static class OcservFailure
    {
        private const int MaxSummary = 300;

        // occtl show status when the server is down: {"Status": "offline"} (with any spacing), rc 1.
        private static readonly Regex Offline = new Regex("\"Status\"\\s*:\\s*\"offline\"", RegexOptions.CultureInvariant);

        public const string SudoRemedy = "Let the SSH account run the driver's commands through 'sudo -n' without a password: install the sudoers drop-in of docs/ocserv-sudoers.md (NOPASSWD rules for exactly those commands), or connect as root (-NoSudo).";

        // Names only what the user can change: occtl is given the occtl-socket-file of the
        // configuration read when connecting, and Connect-RoVpnAppliance has -ConfigPath, no socket parameter.
        public const string ServerRemedy = "Check that ocserv runs (systemctl status ocserv) and that ocserv.conf has use-occtl = true; occtl is given the occtl-socket-file set in the configuration read when connecting, so if ocserv runs from another file, connect with that file (Connect-RoVpnAppliance -ConfigPath).";

        public static ApplianceException FromOutput(string action, string host, SshCommandOutput output, string secret = null, string passwdFile = null, bool isWrite = false)
        {
            string summary = Summary(output, secret);
            string error = (output.StandardError ?? string.Empty) + "\n" + (output.StandardOutput ?? string.Empty);
            if (output.TimedOut)
            {
                return new ApplianceException(
                    ApplianceErrorKind.Unreachable,
                    $"{action} on {host} did not finish in time" + (summary.Length > 0 ? $" ({summary})." : "."),
                    isWrite
                        ? "The change may or may not have been made: check with Get-RoVpnUser, then retry (raise -TimeoutSec if the appliance is slow)."
                        : "Retry, or raise -TimeoutSec if the appliance is slow.");
            }

            string code = output.ExitCode.HasValue
                ? string.Format(CultureInfo.InvariantCulture, " (exit code {0})", output.ExitCode.Value)
                : " (killed by a signal)";
            string message = $"{action} on {host} failed{code}" + (summary.Length > 0 ? ": " + summary : ".");

            if (Contains(error, "sudo:") && (Contains(error, "password is required") || Contains(error, "terminal is required")
                || Contains(error, "not in the sudoers") || Contains(error, "not allowed to")))
            {
                return new ApplianceException(ApplianceErrorKind.AuthenticationFailed, message, SudoRemedy);
            }

            if (Contains(error, "is locked"))
            {
                string lockFile = passwdFile == null ? "the password file's .tmp file" : passwdFile + ".tmp";
                return new ApplianceException(
                    ApplianceErrorKind.Failed,
                    message,
                    $"ocpasswd uses {lockFile} as its lock: another ocpasswd is running there, or one was interrupted and left the file behind. If no ocpasswd runs on {host}, remove {lockFile} and retry.");
            }

            if (Contains(error, "error connecting to ocserv socket") || Contains(error, "error opening socket")
                || Offline.IsMatch(error))
            {
                return new ApplianceException(ApplianceErrorKind.Unreachable, message, ServerRemedy);
            }

            if (output.ExitCode == 127 || Contains(error, "command not found") || Contains(error, ": not found"))
            {
                return new ApplianceException(ApplianceErrorKind.Failed, message, $"Install ocserv on {host} (it brings occtl and ocpasswd), or make sure they are on the PATH of the SSH account (sudo uses secure_path).");
            }

            if (Contains(error, "Permission denied") || Contains(error, "Operation not permitted"))
            {
                return new ApplianceException(ApplianceErrorKind.Failed, message, "The SSH account may not read or write there. " + SudoRemedy);
            }

            return new ApplianceException(ApplianceErrorKind.Failed, message);
        }

        /// <summary>The command's error output (or its output when it wrote no error), on one line, shortened.</summary>
        public static string Summary(SshCommandOutput output, string secret)
        {
            string text = (output.StandardError ?? string.Empty).Trim();
            if (text.Length == 0)
            {
                text = (output.StandardOutput ?? string.Empty).Trim();
            }

            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "(secret)");
            }

            var builder = new StringBuilder(Math.Min(text.Length, MaxSummary + 1));
            bool space = false;
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    space = builder.Length > 0;
                    continue;
                }

                if (space)
                {
                    builder.Append(' ');
                    space = false;
                }

                builder.Append(c);
                if (builder.Length > MaxSummary)
                {
                    break;
                }
            }

            return builder.Length > MaxSummary ? builder.ToString(0, MaxSummary) + "..." : builder.ToString();
        }

        private static bool Contains(string text, string part) => text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
