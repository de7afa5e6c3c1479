using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Passes bytes through to an inner stream and hashes them on the way, so a transfer
    /// reports the SHA-256 of exactly what went over the wire without reading the file twice.
    /// </summary>
    internal sealed class HashingStream : Stream
    {
        private readonly Stream inner;
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        internal HashingStream(Stream inner)
        {
            this.inner = inner;
        }

        internal long BytesRead { get; private set; }

        internal long BytesWritten { get; private set; }

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException("A hashing stream is read or written front to back.");
        }

        internal string FinishHex()
        {
            byte[] digest = hash.GetHashAndReset();
            var hex = new StringBuilder(digest.Length * 2);
            foreach (byte b in digest)
            {
                hex.Append(b.ToString("x2"));
            }

            return hex.ToString();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            if (read > 0)
            {
                hash.AppendData(buffer, offset, read);
                BytesRead += read;
            }

            return read;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
            BytesWritten += count;
        }

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A hashing stream is read or written front to back.");

        public override void SetLength(long value) => throw new NotSupportedException("A hashing stream is read or written front to back.");

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
