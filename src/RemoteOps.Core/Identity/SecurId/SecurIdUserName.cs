using System.Text.RegularExpressions;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// The names SecurID users are looked up by. The Cloud Administration API finds a user by
    /// e-mail address (POST v1/users/lookup {"email"}, RSA community ta-p/623072), and the
    /// Authentication API by subject name; both are checked here before anything is sent.
    /// </summary>
    public static class SecurIdUserName
    {
        /// <summary>What a valid name looks like, for messages.</summary>
        public const string ValidForm = "an e-mail address (name@domain.example) of at most 254 characters: letters, digits and . _ + - before the @, a host name after it";

        // RFC 5321 allows more, but directory-synchronised SecurID users have plain addresses, and
        // refusing the rest keeps wildcards, paths and injection attempts out of every request.
        private static readonly Regex Address = new Regex(
            @"^[A-Za-z0-9._+\-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*\z",
            RegexOptions.CultureInvariant);

        /// <summary>True for an e-mail address that can be sent as it is.</summary>
        public static bool IsValid(string name)
        {
            return !string.IsNullOrEmpty(name) && name.Length <= 254 && Address.IsMatch(name);
        }
    }
}
