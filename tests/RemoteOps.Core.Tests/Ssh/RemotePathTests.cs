using System;
using System.Text;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class RemotePathTests
    {
        [Theory]
        [InlineData("/tmp/")]
        [InlineData("relative/file.conf")]
        [InlineData("/")]
        public void OrdinaryPathsPass(string path)
        {
            RemotePath.Validate(path, "-Destination");
        }

        [Fact]
        public void ANameOf255BytesPassesAnd256IsRefusedNamingTheLimit()
        {
            RemotePath.Validate("/tmp/" + new string('a', 255), "-Destination");

            var error = Assert.Throws<ArgumentException>(() => RemotePath.Validate("/tmp/" + new string('a', 256) + "/x", "-Destination"));

            Assert.StartsWith("-Destination has a part 'aaaa", error.Message);
            Assert.Contains("256 bytes long", error.Message);
            Assert.Contains("at most 255 bytes", error.Message);
        }

        [Fact]
        public void NamesAreMeasuredInUTF8Bytes()
        {
            Assert.Throws<ArgumentException>(() => RemotePath.Validate("/srv/" + new string('ü', 128), "-Path"));
        }

        [Theory]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("/tmp/a\0b")]
        public void EmptyPathsAndNULAreRefused(string path)
        {
            Assert.Throws<ArgumentException>(() => RemotePath.Validate(path, "-Path"));
        }

        [Fact]
        public void ATemporaryNameSitsBesideTheFile()
        {
            var temporary = RemotePath.TemporaryBeside("/etc/remote-work.conf");

            Assert.Matches("^/etc/remote-work\\.conf\\.partial-[0-9a-f]{12}$", temporary);
            Assert.NotEqual(temporary, RemotePath.TemporaryBeside("/etc/remote-work.conf"));
        }

        [Theory]
        [InlineData(255, "a")]
        [InlineData(240, "a")]
        [InlineData(120, "\u00fc")]
        [InlineData(60, "\U0001F600")]
        public void ATemporaryNameForALongNameIsCutToFitTheNameLimit(int count, string unit)
        {
            var name = string.Concat(System.Linq.Enumerable.Repeat(unit, count));

            var temporary = RemotePath.TemporaryBeside("/tmp/" + name);

            Assert.StartsWith("/tmp/", temporary);
            var temporaryName = temporary.Substring(5);
            Assert.True(Encoding.UTF8.GetByteCount(temporaryName) <= RemotePath.MaxNameBytes);
            Assert.Contains(".partial-", temporaryName);
            Assert.DoesNotContain("\uFFFD", Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(temporaryName)));
        }
    }
}
