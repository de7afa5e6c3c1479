using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class SshKeyBlobTests
    {
        [Fact]
        public void ReadsTheKeyTypeAtTheStartOfABlob()
        {
            byte[] blob = Blob("ssh-ed25519", new byte[32]);
            Assert.Equal("ssh-ed25519", SshKeyBlob.ReadKeyType(blob));
        }

        [Theory]
        [InlineData(new byte[0])]
        [InlineData(new byte[] { 0, 0, 0 })]
        [InlineData(new byte[] { 0, 0, 0, 0 })]
        [InlineData(new byte[] { 0, 0, 0, 20, 65 })]
        [InlineData(new byte[] { 255, 255, 255, 255, 65 })]
        public void ReturnsNullForMalformedBlobs(byte[] blob)
        {
            Assert.Null(SshKeyBlob.ReadKeyType(blob));
        }

        [Fact]
        public void HashingStreamReportsTheSha256OfWhatPassedThrough()
        {
            byte[] data = new byte[100_003];
            new Random(7).NextBytes(data);
            string expected;
            using (var sha = SHA256.Create())
            {
                expected = BitConverter.ToString(sha.ComputeHash(data)).Replace("-", string.Empty).ToLowerInvariant();
            }

            using (var source = new MemoryStream(data))
            using (var hashing = new HashingStream(source))
            {
                var buffer = new byte[4096];
                while (hashing.Read(buffer, 0, buffer.Length) > 0)
                {
                }

                Assert.Equal(data.Length, hashing.BytesRead);
                Assert.Equal(expected, hashing.FinishHex());
            }

            using (var sink = new MemoryStream())
            using (var hashing = new HashingStream(sink))
            {
                hashing.Write(data, 0, 50_000);
                hashing.Write(data, 50_000, data.Length - 50_000);
                Assert.Equal(data.Length, hashing.BytesWritten);
                Assert.Equal(expected, hashing.FinishHex());
                Assert.Equal(data, sink.ToArray());
            }
        }

        private static byte[] Blob(string type, byte[] key)
        {
            var stream = new MemoryStream();
            WriteString(stream, Encoding.ASCII.GetBytes(type));
            WriteString(stream, key);
            return stream.ToArray();
        }

        private static void WriteString(Stream stream, byte[] value)
        {
            stream.WriteByte((byte)(value.Length >> 24));
            stream.WriteByte((byte)(value.Length >> 16));
            stream.WriteByte((byte)(value.Length >> 8));
            stream.WriteByte((byte)value.Length);
            stream.Write(value, 0, value.Length);
        }
    }
}
