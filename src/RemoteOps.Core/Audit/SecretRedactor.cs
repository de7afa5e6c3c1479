using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Audit
{
    /// <summary>
    /// Masks secrets in text bound for the audit log, messages or streams: the secrets the
    /// caller knows, and values that are plainly credentials whoever wrote them (password=...,
    /// Authorization: Bearer ..., user:password@ in a URL). The second is a safety net, not a
    /// substitute for the first.
    /// </summary>
    /// <remarks>
    /// The rule for a known secret: each of its spellings is masked wherever it stands as a
    /// whole value, that is not run on by a letter, digit or underscore at an edge where the
    /// spelling itself begins or ends with one. The spellings are the secret as typed, as
    /// POSIX-shell quoted by PosixShell.Quote (each ' written '\''), as
    /// written inside a JSON string, and URL-encoded; a secret travels in those forms into
    /// command lines, request bodies and URLs. Whole values, not substrings: masking "root"
    /// inside "chroot" or "rootfs" spoils the record and tells the reader the password.
    /// </remarks>
    internal static class SecretRedactor
    {
        /// <summary>Fixed, so the mask does not reveal a secret's length.</summary>
        public const string Mask = "***";

        private static readonly Regex CredentialAssignment = new Regex(
            @"(?<key>\b(?:password|passwd|pwd|passphrase|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|api[_-]?key|private[_-]?key)\b[""']?\s*[:=]\s*)(?<value>""[^""]*""|'[^']*'|[^\s&,;]+)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex CredentialParameter = new Regex(
            @"(?<key>(?:^|\s)-(?:password|passphrase|secret|token|apikey)\s+)(?<value>""[^""]*""|'[^']*'|\S+)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex AuthorizationHeader = new Regex(
            @"(?<key>\bauthorization\s*[:=]\s*(?:(?:bearer|basic|digest|negotiate|ntlm)\s+)?)(?<value>[^\s,;]+)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex BearerToken = new Regex(
            @"(?<key>\bbearer\s+)(?<value>[A-Za-z0-9\-._~+/]{8,}=*)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex UrlPassword = new Regex(
            @"(?<key>\b[a-z][a-z0-9+.\-]*://[^/\s:@]+:)(?<value>[^/\s@]+)(?=@)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// Replaces every occurrence of each secret, and every recognizable credential, with
        /// <see cref="Mask"/>. Null text stays null; null or empty secrets are ignored.
        /// </summary>
        public static string Redact(string text, IEnumerable<string> secrets)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            var result = text;

            // Longest first: a secret that is part of a longer one must not leave the rest behind.
            var spellings = (secrets ?? Enumerable.Empty<string>())
                .Where(secret => !string.IsNullOrEmpty(secret))
                .SelectMany(Spellings)
                .Distinct(StringComparer.Ordinal)
                .OrderByDescending(spelling => spelling.Length);
            foreach (var spelling in spellings)
            {
                result = WholeValue(spelling).Replace(result, Mask);
            }

            return RedactCredentialPatterns(result);
        }

        // A word character next to the spelling's own word character edge means the spelling is
        // only part of a longer value there; an edge that is already punctuation needs no check.
        private static Regex WholeValue(string spelling)
        {
            var pattern = (IsWordCharacter(spelling[0]) ? @"(?<![\p{L}\p{Nd}_])" : string.Empty)
                + Regex.Escape(spelling)
                + (IsWordCharacter(spelling[spelling.Length - 1]) ? @"(?![\p{L}\p{Nd}_])" : string.Empty);
            return new Regex(pattern, RegexOptions.CultureInvariant);
        }

        private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c == '_';

        /// <summary>Masks only the values that are plainly credentials (see the class summary).</summary>
        public static string RedactCredentialPatterns(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            var result = text;
            foreach (var pattern in new[] { CredentialAssignment, CredentialParameter, AuthorizationHeader, BearerToken, UrlPassword })
            {
                result = pattern.Replace(result, match => match.Groups["key"].Value + Mask);
            }

            return result;
        }

        private static IEnumerable<string> Spellings(string secret)
        {
            yield return secret;
            yield return Uri.EscapeDataString(secret);
            yield return secret.Replace("'", PosixQuoting.EscapedSingleQuote);

            var json = JsonConvert.ToString(secret);
            yield return json.Substring(1, json.Length - 2);
        }
    }
}
