using System;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class RemoteCommandLineTests
    {
        [Fact]
        public void ALineAtTheLimitIsSentAsItIs()
        {
            var line = new string('x', RemoteCommandLine.MaxBytes);

            Assert.Same(line, RemoteCommandLine.Validate(line, useSudo: false));
        }

        [Fact]
        public void ALineOverTheLimitIsRefusedNamingItsSizeAndTheLimit()
        {
            var error = Assert.Throws<ArgumentException>(() => RemoteCommandLine.Validate(new string('x', 70 * 1024), useSudo: false));

            Assert.Contains("71680 bytes", error.Message);
            Assert.Contains("at most 64000 bytes", error.Message);
            Assert.DoesNotContain("xxxx", error.Message);
        }

        [Fact]
        public void TheLimitCountsUTF8BytesAndTheSudoWrapper()
        {
            Assert.Throws<ArgumentException>(() => RemoteCommandLine.Validate(new string('é', 32001), useSudo: false));

            var quotes = new string('\'', 16000);
            var error = Assert.Throws<ArgumentException>(() => RemoteCommandLine.Validate(quotes, useSudo: true));
            Assert.Contains("with the sudo wrapper", error.Message);
        }

        [Fact]
        public void SudoWrapsTheLineAsOneQuotedWord()
        {
            Assert.Equal("sudo -n -- sh -c 'echo '\\''hi'\\'''", RemoteCommandLine.Validate("echo 'hi'", useSudo: true));
        }

        [Theory]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("echo a\0b")]
        public void EmptyLinesAndNULAreRefused(string line)
        {
            Assert.Throws<ArgumentException>(() => RemoteCommandLine.Validate(line, useSudo: false));
        }
    }
}
