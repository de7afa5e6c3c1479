using System;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class RemoteCommandLineTests
    {
        [Fact]
        public void A_line_at_the_limit_is_sent_as_it_is()
        {
            var line = new string('x', RemoteCommandLine.MaxBytes);

            Assert.Same(line, RemoteCommandLine.Validate(line, useSudo: false));
        }

        [Fact]
        public void A_line_over_the_limit_is_refused_naming_its_size_and_the_limit()
        {
            var error = Assert.Throws<ArgumentException>(() => RemoteCommandLine.Validate(new string('x', 70 * 1024), useSudo: false));

            Assert.Contains("71680 bytes", error.Message);
            Assert.Contains("at most 64000 bytes", error.Message);
            Assert.DoesNotContain("xxxx", error.Message);
        }

        [Fact]
        public void The_limit_counts_UTF8_bytes_and_the_sudo_wrapper()
        {
            Assert.Throws<ArgumentException>(() => RemoteCommandLine.Validate(new string('é', 32001), useSudo: false));

            var quotes = new string('\'', 16000);
            var error = Assert.Throws<ArgumentException>(() => RemoteCommandLine.Validate(quotes, useSudo: true));
            Assert.Contains("with the sudo wrapper", error.Message);
        }

        [Fact]
        public void Sudo_wraps_the_line_as_one_quoted_word()
        {
            Assert.Equal("sudo -n -- sh -c 'echo '\\''hi'\\'''", RemoteCommandLine.Validate("echo 'hi'", useSudo: true));
        }

        [Theory]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("echo a\0b")]
        public void Empty_lines_and_NUL_are_refused(string line)
        {
            Assert.Throws<ArgumentException>(() => RemoteCommandLine.Validate(line, useSudo: false));
        }
    }
}
