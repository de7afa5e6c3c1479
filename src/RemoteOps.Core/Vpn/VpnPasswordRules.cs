using System;
using System.Security;
using System.Text;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// What passwords a driver's appliance can store: checked before any request is sent, so a
    /// password the appliance would store wrongly (or refuse halfway) is refused up front, with
    /// the limit named.
    /// </summary>
    public sealed class VpnPasswordRules
    {
        /// <summary>Rules for <paramref name="product"/>.</summary>
        /// <param name="product">The appliance as named in messages ("ocserv (ocpasswd)").</param>
        /// <param name="maximumUtf8Bytes">The most bytes in UTF-8, or null.</param>
        /// <param name="maximumCharacters">The most characters (UTF-16 code units), or null.</param>
        /// <param name="refuseAllControlCharacters">
        /// True: no control characters at all. False: only NUL, CR and LF are refused (they end or
        /// split the line a tool reads).
        /// </param>
        public VpnPasswordRules(string product, int? maximumUtf8Bytes, int? maximumCharacters, bool refuseAllControlCharacters)
        {
            Product = product ?? throw new ArgumentNullException(nameof(product));
            MaximumUtf8Bytes = maximumUtf8Bytes;
            MaximumCharacters = maximumCharacters;
            RefuseAllControlCharacters = refuseAllControlCharacters;
        }

        /// <summary>The appliance, as named in messages.</summary>
        public string Product { get; }

        /// <summary>The most bytes a password may have in UTF-8, or null.</summary>
        public int? MaximumUtf8Bytes { get; }

        /// <summary>The most characters a password may have, or null.</summary>
        public int? MaximumCharacters { get; }

        /// <summary>True when no control character is allowed; otherwise only NUL, CR and LF are refused.</summary>
        public bool RefuseAllControlCharacters { get; }

        /// <summary>The rules in words, for messages and help.</summary>
        public string Describe()
        {
            var text = new StringBuilder();
            if (MaximumCharacters.HasValue)
            {
                text.Append("at most ").Append(MaximumCharacters.Value).Append(" characters, ");
            }

            if (MaximumUtf8Bytes.HasValue)
            {
                text.Append("at most ").Append(MaximumUtf8Bytes.Value).Append(" bytes in UTF-8 (as many ASCII characters), ");
            }

            text.Append(RefuseAllControlCharacters ? "no control characters (line breaks, tabs, NUL)" : "no line breaks or NUL characters");
            return text.ToString();
        }

        /// <summary>
        /// Throws <see cref="ApplianceException"/> (InvalidRequest) when the password breaks a rule.
        /// The message names the rule and the user, never the password or its characters.
        /// </summary>
        public void Check(string userName, SecureString password)
        {
            if (password == null || password.Length == 0)
            {
                return;
            }

            string problem = Problem(SecretText.Reveal(password));
            if (problem != null)
            {
                throw new ApplianceException(
                    ApplianceErrorKind.InvalidRequest,
                    $"The password for user '{userName}' {problem}; {Product} takes {Describe()}. Nothing was changed.",
                    "Choose a password that fits these rules.");
            }
        }

        /// <summary>What is wrong with the password, in words without the password; null when it fits.</summary>
        internal string Problem(string password)
        {
            foreach (char c in password)
            {
                if (c == '\0' || c == '\r' || c == '\n')
                {
                    return "contains a line break or NUL character";
                }

                if (RefuseAllControlCharacters && char.IsControl(c))
                {
                    return "contains a control character";
                }
            }

            if (MaximumCharacters.HasValue && password.Length > MaximumCharacters.Value)
            {
                return $"is {password.Length} characters long";
            }

            if (MaximumUtf8Bytes.HasValue)
            {
                int bytes = new UTF8Encoding(false).GetByteCount(password);
                if (bytes > MaximumUtf8Bytes.Value)
                {
                    return $"is {bytes} bytes long in UTF-8";
                }
            }

            return null;
        }
    }
}
