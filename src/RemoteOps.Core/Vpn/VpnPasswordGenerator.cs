using System;
using System.Security;
using System.Security.Cryptography;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// Random initial passwords: 20 characters from an alphabet without look-alikes (no I, O, l,
    /// 0, 1), about 118 bits, every character equally likely.
    /// </summary>
    /// <remarks>
    /// Random bytes are mapped onto the alphabet by rejection sampling: a byte at or above the
    /// largest multiple of the alphabet's size (240 for 60 characters) is thrown away, because
    /// taking it modulo the size would make the first characters more likely than the others.
    /// </remarks>
    public sealed class VpnPasswordGenerator
    {
        /// <summary>The characters passwords are made of.</summary>
        public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.";

        /// <summary>The length of a generated password.</summary>
        public const int DefaultLength = 20;

        // Bytes below this are used; the rest would bias the result.
        private static readonly int AcceptBelow = 256 - (256 % Alphabet.Length);

        private readonly Action<byte[]> fill;

        /// <summary>A generator over the system's cryptographic random number generator.</summary>
        public VpnPasswordGenerator()
            : this(FillFromSystem)
        {
        }

        /// <summary>For tests: <paramref name="fill"/> supplies the random bytes.</summary>
        internal VpnPasswordGenerator(Action<byte[]> fill)
        {
            this.fill = fill ?? throw new ArgumentNullException(nameof(fill));
        }

        /// <summary>A new read-only password of <paramref name="length"/> characters.</summary>
        public SecureString NewPassword(int length = DefaultLength)
        {
            if (length < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, "A password needs at least one character.");
            }

            var secret = new SecureString();
            var buffer = new byte[length + 8];
            while (secret.Length < length)
            {
                fill(buffer);
                for (int i = 0; i < buffer.Length && secret.Length < length; i++)
                {
                    if (buffer[i] < AcceptBelow)
                    {
                        secret.AppendChar(Alphabet[buffer[i] % Alphabet.Length]);
                    }
                }

                Array.Clear(buffer, 0, buffer.Length);
            }

            secret.MakeReadOnly();
            return secret;
        }

        private static void FillFromSystem(byte[] buffer)
        {
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(buffer);
            }
        }
    }
}
