using System;
using System.Security.Cryptography;
using System.Text;

namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>
    /// A hashed known_hosts host field, "|1|base64(salt)|base64(HMAC-SHA1(salt, host))", as
    /// written by ssh-keygen -H or HashKnownHosts. It hides which hosts are known; a host is
    /// matched by hashing its host string with the stored salt.
    /// </summary>
    internal sealed class HashedHostName
    {
        private const string Magic = "|1|";
        private const int Sha1Length = 20;

        private readonly byte[] salt;
        private readonly byte[] hash;

        private HashedHostName(byte[] salt, byte[] hash)
        {
            this.salt = salt;
            this.hash = hash;
        }

        public static bool LooksHashed(string field)
        {
            return field.StartsWith("|", StringComparison.Ordinal);
        }

        public static bool TryParse(string field, out HashedHostName hashed)
        {
            hashed = null;
            if (!field.StartsWith(Magic, StringComparison.Ordinal))
            {
                return false;
            }

            var parts = field.Substring(Magic.Length).Split('|');
            if (parts.Length != 2
                || !TryDecode(parts[0], out var salt) || salt.Length != Sha1Length
                || !TryDecode(parts[1], out var hash) || hash.Length != Sha1Length)
            {
                return false;
            }

            hashed = new HashedHostName(salt, hash);
            return true;
        }

        public bool Matches(string hostString)
        {
            using (var hmac = new HMACSHA1(salt))
            {
                var computed = hmac.ComputeHash(Encoding.UTF8.GetBytes(hostString));
                var difference = 0;
                for (var i = 0; i < Sha1Length; i++)
                {
                    difference |= computed[i] ^ hash[i];
                }

                return difference == 0;
            }
        }

        private static bool TryDecode(string text, out byte[] bytes)
        {
            bytes = null;
            if (text.Length == 0 || text.IndexOfAny(new[] { ' ', '\t', '\r', '\n' }) >= 0)
            {
                return false;
            }

            try
            {
                bytes = Convert.FromBase64String(text);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
