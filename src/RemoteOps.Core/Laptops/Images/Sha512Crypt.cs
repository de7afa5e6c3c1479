using System;
using System.Security.Cryptography;
using System.Text;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>
    /// The SHA-512 password hash of glibc's crypt ("$6$salt$hash", Ulrich Drepper's "Unix crypt
    /// using SHA-256 and SHA-512"), the form both installers take for a user's password, so that
    /// the clear password never has to be written into an install file.
    /// </summary>
    public static class Sha512Crypt
    {
        private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        private const int DefaultRounds = 5000;
        private const int MaxSaltLength = 16;

        // The order in which the specification spreads the 64 digest bytes over the 86 output characters.
        private static readonly int[] ByteOrder =
        {
            0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48, 28, 49, 7,
            50, 8, 29, 9, 30, 51, 31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57,
            37, 58, 16, 59, 17, 38, 18, 39, 60, 40, 61, 19, 62, 20, 41,
        };

        /// <summary>Hashes a password with a new random 16-character salt and the default 5000 rounds.</summary>
        public static string Hash(string password)
        {
            var salt = new char[MaxSaltLength];
            var random = new byte[MaxSaltLength];
            using (var generator = RandomNumberGenerator.Create())
            {
                generator.GetBytes(random);
            }

            for (int i = 0; i < salt.Length; i++)
            {
                salt[i] = Alphabet[random[i] % Alphabet.Length];
            }

            return Hash(password, new string(salt));
        }

        /// <summary>Hashes a password with the given salt (at most 16 characters are used, as crypt does).</summary>
        public static string Hash(string password, string salt)
        {
            if (password == null)
            {
                throw new ArgumentNullException(nameof(password));
            }

            if (salt == null)
            {
                throw new ArgumentNullException(nameof(salt));
            }

            if (salt.Length > MaxSaltLength)
            {
                salt = salt.Substring(0, MaxSaltLength);
            }

            byte[] key = Encoding.UTF8.GetBytes(password);
            byte[] saltBytes = Encoding.UTF8.GetBytes(salt);
            byte[] digest = Digest(key, saltBytes, DefaultRounds);
            Array.Clear(key, 0, key.Length);
            return "$6$" + salt + "$" + Encode(digest);
        }

        private static byte[] Digest(byte[] key, byte[] salt, int rounds)
        {
            using (SHA512 sha = SHA512.Create())
            {
                byte[] alternate = Sum(sha, key, salt, key);

                var a = new Buffer();
                a.Add(key);
                a.Add(salt);
                int count;
                for (count = key.Length; count > 64; count -= 64)
                {
                    a.Add(alternate, 64);
                }

                a.Add(alternate, count);
                for (count = key.Length; count > 0; count >>= 1)
                {
                    a.Add((count & 1) != 0 ? alternate : key);
                }

                byte[] intermediate = sha.ComputeHash(a.ToArray());

                var dp = new Buffer();
                for (int i = 0; i < key.Length; i++)
                {
                    dp.Add(key);
                }

                byte[] p = Repeat(sha.ComputeHash(dp.ToArray()), key.Length);

                var ds = new Buffer();
                for (int i = 0; i < 16 + intermediate[0]; i++)
                {
                    ds.Add(salt);
                }

                byte[] s = Repeat(sha.ComputeHash(ds.ToArray()), salt.Length);

                byte[] c = intermediate;
                for (int round = 0; round < rounds; round++)
                {
                    var next = new Buffer();
                    next.Add((round & 1) != 0 ? p : c);
                    if (round % 3 != 0)
                    {
                        next.Add(s);
                    }

                    if (round % 7 != 0)
                    {
                        next.Add(p);
                    }

                    next.Add((round & 1) != 0 ? c : p);
                    c = sha.ComputeHash(next.ToArray());
                }

                return c;
            }
        }

        private static byte[] Sum(SHA512 sha, params byte[][] parts)
        {
            var buffer = new Buffer();
            foreach (byte[] part in parts)
            {
                buffer.Add(part);
            }

            return sha.ComputeHash(buffer.ToArray());
        }

        private static byte[] Repeat(byte[] digest, int length)
        {
            var result = new byte[length];
            for (int i = 0; i < length; i++)
            {
                result[i] = digest[i % digest.Length];
            }

            return result;
        }

        private static string Encode(byte[] digest)
        {
            var text = new StringBuilder(86);
            for (int i = 0; i < 63; i += 3)
            {
                int word = (digest[ByteOrder[i]] << 16) | (digest[ByteOrder[i + 1]] << 8) | digest[ByteOrder[i + 2]];
                AppendDigits(text, word, 4);
            }

            AppendDigits(text, digest[63], 2);
            return text.ToString();
        }

        private static void AppendDigits(StringBuilder text, int word, int count)
        {
            for (int i = 0; i < count; i++)
            {
                text.Append(Alphabet[word & 0x3f]);
                word >>= 6;
            }
        }

        private sealed class Buffer
        {
            private readonly System.Collections.Generic.List<byte> bytes = new System.Collections.Generic.List<byte>();

            public void Add(byte[] part) => bytes.AddRange(part);

            public void Add(byte[] part, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    bytes.Add(part[i]);
                }
            }

            public byte[] ToArray() => bytes.ToArray();
        }
    }
}
