using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// What openconnect's exit status and messages say about a sign-in attempt. Only its standard
    /// error is read: standard output of --authenticate carries the session cookie, a secret.
    /// </summary>
    public static class OpenconnectOutcome
    {
        // A server that demands a new password: its own message ("Password expired", "You must
        // change your password"), or, for a Juniper/Connect Secure sign-in page, openconnect's
        // "Unknown form ID '...'" (9.x: "Unknown form (name '...', id ...)") naming a
        // password-change form, a form it does not handle (auth-juniper.c). The servers' wording is not documented: matched loosely, and a
        // refused password ("Login failed") without such words stays WrongPassword.
        private static readonly Regex PasswordChange = new Regex(
            @"password\s+(has\s+)?expired|must\s+change\s+(your\s+)?password|unknown\s+form\s+(ID\s+|\(name\s+)'[^']*(change.?pass|pass(word)?.?(change|expir))",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The cause a failed attempt points to (None for success, CheckNotMade when the messages say nothing known).</summary>
        public static RemoteAccessCause Classify(int exitCode, string standardError)
        {
            if (exitCode == 0)
            {
                return RemoteAccessCause.None;
            }

            string text = standardError ?? string.Empty;
            if (PasswordChange.IsMatch(text))
            {
                return RemoteAccessCause.PasswordExpired;
            }

            if (Has(text, "Login failed") || Has(text, "Authentication failed") || Has(text, "auth failed"))
            {
                return RemoteAccessCause.WrongPassword;
            }

            if (Has(text, "certificate"))
            {
                return RemoteAccessCause.CertificateInvalid;
            }

            if (Has(text, "resolve") || Has(text, "Name or service not known"))
            {
                return RemoteAccessCause.GatewayNameNotResolved;
            }

            if (Has(text, "Failed to connect") || Has(text, "Connection refused") || Has(text, "No route to host") || Has(text, "timed out"))
            {
                return RemoteAccessCause.GatewayUnreachable;
            }

            return RemoteAccessCause.CheckNotMade;
        }

        /// <summary>
        /// The lines of openconnect's messages worth showing: the last three that report a failure
        /// (after a refused password openconnect goes on to say that it wanted input, which hides
        /// "Login failed." from a plain tail), else the last three; prompts and anything that
        /// looks like a cookie are dropped.
        /// </summary>
        public static string Evidence(string standardError)
        {
            string[] lines = (standardError ?? string.Empty)
                .Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Trim())
                .Where(l => l.Length > 0
                    && !l.StartsWith("Password:", StringComparison.OrdinalIgnoreCase)
                    && l.IndexOf("COOKIE", StringComparison.OrdinalIgnoreCase) < 0
                    && l.IndexOf("webvpn=", StringComparison.OrdinalIgnoreCase) < 0)
                .ToArray();
            string[] failures = lines.Where(l => Has(l, "fail") || Has(l, "error") || Has(l, "refused") || PasswordChange.IsMatch(l)).ToArray();
            string[] shown = failures.Length > 0 ? failures : lines;
            return string.Join(" | ", shown.Skip(Math.Max(0, shown.Length - 3)));
        }

        private static bool Has(string text, string part) => text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
