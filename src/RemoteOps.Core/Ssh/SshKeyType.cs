using System;
using System.Text;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Key type names ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256") and how to read
    /// them from a public key blob.
    /// </summary>
    internal static class SshKeyType
    {
        // Long enough for every registered name (the certificate types are the longest).
        private const int MaxLength = 64;

        /// <summary>
        /// Maps a negotiated host key algorithm to the key type it uses. An RSA key is
        /// offered as rsa-sha2-256/512 (the signature algorithm) but is one "ssh-rsa" key,
        /// and known_hosts and the key blob both name it that way.
        /// </summary>
        public static string FromAlgorithm(string algorithm)
        {
            switch (algorithm)
            {
                case "rsa-sha2-256":
                case "rsa-sha2-512":
                    return "ssh-rsa";
                case "rsa-sha2-256-cert-v01@openssh.com":
                case "rsa-sha2-512-cert-v01@openssh.com":
                    return "ssh-rsa-cert-v01@openssh.com";
                default:
                    return algorithm;
            }
        }

        /// <summary>Letters, digits and . _ - + @ only, as every registered name is.</summary>
        public static bool IsWellFormed(string keyType)
        {
            if (string.IsNullOrEmpty(keyType) || keyType.Length > MaxLength)
            {
                return false;
            }

            foreach (var c in keyType)
            {
                var valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '@' || c == '+';
                if (!valid)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Reads the key type a public key blob starts with (an SSH "string": a big-endian
        /// uint32 length, then that many bytes). Fails for anything that is not a plausible
        /// blob, including a blob with no key material after the name.
        /// </summary>
        public static bool TryReadFromBlob(byte[] blob, out string keyType)
        {
            keyType = null;
            if (blob == null || blob.Length < 4)
            {
                return false;
            }

            var length = ((long)blob[0] << 24) | ((long)blob[1] << 16) | ((long)blob[2] << 8) | blob[3];
            if (length <= 0 || length > MaxLength || 4 + length >= blob.Length)
            {
                return false;
            }

            string name;
            try
            {
                name = new UTF8Encoding(false, true).GetString(blob, 4, (int)length);
            }
            catch (ArgumentException)
            {
                return false;
            }

            if (!IsWellFormed(name))
            {
                return false;
            }

            keyType = name;
            return true;
        }
    }
}
