using System;
using System.Security.Cryptography;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// SSH host key fingerprints in the form OpenSSH prints them ("SHA256:" followed by
    /// unpadded base64 of the SHA-256 of the public key blob), so a fingerprint shown here
    /// can be compared by eye with the output of ssh-keygen -lf or ssh-keyscan.
    /// </summary>
    public static class SshFingerprint
    {
        internal const string Sha256Prefix = "SHA256:";

        private const int Sha256Length = 32;

        /// <summary>Computes the OpenSSH SHA-256 fingerprint of a public key blob (SSH wire format).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="publicKeyBlob"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="publicKeyBlob"/> is empty.</exception>
        public static string Sha256(byte[] publicKeyBlob)
        {
            if (publicKeyBlob == null)
            {
                throw new ArgumentNullException(nameof(publicKeyBlob));
            }

            if (publicKeyBlob.Length == 0)
            {
                throw new ArgumentException("The public key blob is empty; pass the key in SSH wire format (the base64-decoded second field of a .pub or known_hosts line).", nameof(publicKeyBlob));
            }

            using (var sha256 = SHA256.Create())
            {
                return Sha256Prefix + ToUnpaddedBase64(sha256.ComputeHash(publicKeyBlob));
            }
        }

        /// <summary>
        /// Accepts "SHA256:" followed by the base64 of a 32-byte digest, padded or not, and
        /// returns it in the canonical unpadded form. MD5 ("MD5:aa:bb:..." or bare hex pairs)
        /// and every other form are rejected: MD5 fingerprints can be forged.
        /// </summary>
        public static bool TryNormalize(string text, out string fingerprint)
        {
            fingerprint = null;
            if (text == null)
            {
                return false;
            }

            var trimmed = text.Trim();
            if (!trimmed.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var encoded = trimmed.Substring(Sha256Prefix.Length);
            if (encoded.EndsWith("=", StringComparison.Ordinal))
            {
                encoded = encoded.Substring(0, encoded.Length - 1);
            }

            // 32 bytes are 43 base64 characters without padding. Checking the alphabet here
            // matters because Convert.FromBase64String silently skips whitespace.
            if (encoded.Length != 43 || !IsBase64Alphabet(encoded))
            {
                return false;
            }

            byte[] digest;
            try
            {
                digest = Convert.FromBase64String(encoded + "=");
            }
            catch (FormatException)
            {
                return false;
            }

            // Non-zero spare bits in the last character decode to the same bytes as another
            // spelling; only the spelling OpenSSH prints is accepted, so two accepted strings
            // for one key can never differ.
            var canonical = ToUnpaddedBase64(digest);
            if (digest.Length != Sha256Length || !string.Equals(canonical, encoded, StringComparison.Ordinal))
            {
                return false;
            }

            fingerprint = Sha256Prefix + canonical;
            return true;
        }

        private static string ToUnpaddedBase64(byte[] bytes)
        {
            return Convert.ToBase64String(bytes).TrimEnd('=');
        }

        private static bool IsBase64Alphabet(string text)
        {
            foreach (var c in text)
            {
                var valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
                if (!valid)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
