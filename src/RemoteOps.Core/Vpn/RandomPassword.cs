using System.Security;
using System.Security.Cryptography;

namespace RemoteOps.Core.Vpn
{
    /// <summary>Random initial passwords for users whose password is not known.</summary>
    public static class RandomPassword
    {
        // No look-alike characters, so a password read out over the phone survives.
        private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.";

        /// <summary>20 characters from a 60-character alphabet (about 118 bits), read-only.</summary>
        public static SecureString New()
        {
            var secret = new SecureString();
            var bytes = new byte[20];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            // 256 is not a multiple of 60, so the first 16 characters are very slightly more likely;
            // at 20 characters that costs well under a bit.
            foreach (byte b in bytes)
            {
                secret.AppendChar(Alphabet[b % Alphabet.Length]);
            }

            secret.MakeReadOnly();
            return secret;
        }
    }
}
