using System;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// The user names RemoteOps accepts for VPN accounts: safe in every appliance's user store,
    /// in ocserv's colon-separated password file and in a shell word.
    /// </summary>
    public static class VpnUserName
    {
        private static readonly Regex Valid = new Regex(@"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}\z", RegexOptions.CultureInvariant);

        /// <summary>The form, for error messages.</summary>
        public const string ValidForm = "1-64 characters: letters, digits and . _ @ -, starting with a letter or digit";

        /// <summary>Returns the name, or throws naming the bad value and the valid form.</summary>
        public static string Validate(string userName)
        {
            if (userName == null || !Valid.IsMatch(userName))
            {
                throw new ArgumentException($"'{Printable(userName)}' is not a valid VPN user name: use {ValidForm}.");
            }

            return userName;
        }

        /// <summary>True for a valid name.</summary>
        public static bool IsValid(string userName) => userName != null && Valid.IsMatch(userName);

        private static string Printable(string value)
        {
            if (value == null)
            {
                return "(null)";
            }

            var text = new System.Text.StringBuilder();
            foreach (char c in value)
            {
                text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
            }

            return text.ToString();
        }
    }
}
