using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security;
using RemoteOps.Core.Vpn;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn
{
    public sealed class VpnPasswordGeneratorTests
    {
        private static string Reveal(SecureString secret) => new NetworkCredential(string.Empty, secret).Password;

        // Hands out the given bytes in order, then zeros.
        private static Action<byte[]> Bytes(IEnumerable<int> values)
        {
            var queue = new Queue<byte>(values.Select(v => (byte)v));
            return buffer =>
            {
                for (int i = 0; i < buffer.Length; i++)
                {
                    buffer[i] = queue.Count > 0 ? queue.Dequeue() : (byte)0;
                }
            };
        }

        [Fact]
        public void EveryByteValueOnceGivesEveryCharacterEquallyOften()
        {
            // 256 byte values: the 240 below the largest multiple of 60 map onto each of the 60
            // characters exactly 4 times; the 16 above would have favoured the first 16 characters.
            Assert.Equal(60, VpnPasswordGenerator.Alphabet.Length);
            var generator = new VpnPasswordGenerator(Bytes(Enumerable.Range(0, 256)));
            string password = Reveal(generator.NewPassword(240));
            var counts = password.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(VpnPasswordGenerator.Alphabet.OrderBy(c => c), counts.Keys.OrderBy(c => c));
            Assert.All(counts.Values, n => Assert.Equal(4, n));
        }

        [Fact]
        public void BytesThatWouldBiasTheResultAreSkipped()
        {
            var generator = new VpnPasswordGenerator(Bytes(new[] { 240, 255, 250, 5, 241, 59, 60 }));
            string password = Reveal(generator.NewPassword(3));
            string a = VpnPasswordGenerator.Alphabet;
            Assert.Equal(new string(new[] { a[5], a[59], a[0] }), password);
        }

        [Fact]
        public void AsksForMoreBytesWhenTooManyWereRejected()
        {
            int calls = 0;
            var generator = new VpnPasswordGenerator(buffer =>
            {
                calls++;
                for (int i = 0; i < buffer.Length; i++)
                {
                    buffer[i] = calls == 1 ? (byte)250 : (byte)1;
                }
            });
            Assert.Equal(new string(VpnPasswordGenerator.Alphabet[1], 20), Reveal(generator.NewPassword()));
            Assert.Equal(2, calls);
        }

        [Fact]
        public void TheSystemGeneratorGivesReadOnlyPasswordsOfTheAlphabet()
        {
            var generator = new VpnPasswordGenerator();
            SecureString first = generator.NewPassword();
            Assert.True(first.IsReadOnly());
            Assert.Equal(VpnPasswordGenerator.DefaultLength, first.Length);
            Assert.All(Reveal(first), c => Assert.Contains(c, VpnPasswordGenerator.Alphabet));
            Assert.NotEqual(Reveal(first), Reveal(generator.NewPassword()));
        }
    }
}
