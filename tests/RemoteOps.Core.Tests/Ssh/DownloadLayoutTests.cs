using System;
using System.IO;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class DownloadLayoutTests
    {
        private static readonly string Root = Path.Combine(Path.GetTempPath(), "downloads");

        [Theory]
        [InlineData("gw1", "gw1")]
        [InlineData("GW1.Corp.Example", "gw1.corp.example")]
        [InlineData("gw1:2222", "gw1+2222")]
        [InlineData("gw1_2222", "gw1_2222")]
        [InlineData("198.18.0.5:22", "198.18.0.5")]
        [InlineData("[2001:DB8:0:0::1]:2200", "2001_db8__1+2200")]
        [InlineData("2001:db8::1", "2001_db8__1")]
        [InlineData("fe80::1%eth0", "fe80__1%eth0")]
        public void AHostGetsTheFolderOfItsCanonicalSpelling(string computerName, string folder)
        {
            Assert.Equal(folder, DownloadLayout.FolderName(SshTarget.Parse(computerName)));
        }

        [Theory]
        [InlineData("gw1:2222", "gw1_2222")]
        [InlineData("gw1", "gw1:2222")]
        [InlineData("gw1.example", "gw1")]
        public void DifferentTargetsGetDifferentPaths(string first, string second)
        {
            var layout = new DownloadLayout(Root, "/etc/os-release");

            Assert.True(layout.TryClaim(SshTarget.Parse(first), out var firstPath, out _));
            Assert.True(layout.TryClaim(SshTarget.Parse(second), out var secondPath, out _));
            Assert.NotEqual(firstPath, secondPath);
        }

        [Theory]
        [InlineData("gw1", "gw1")]
        [InlineData("gw1", "GW1:22")]
        [InlineData("alice@gw1", "bob@gw1")]
        [InlineData("[2001:db8::1]", "2001:db8::1")]
        [InlineData("2001:db8::1", "2001:0DB8:0:0:0:0:0:1")]
        [InlineData("[::1]:2222", "[0:0::1]:2222")]
        public void ATargetMappingToAClaimedFolderIsRefusedNamingTheHolder(string first, string second)
        {
            var layout = new DownloadLayout(Root, "/var/log/syslog");
            var holder = SshTarget.Parse(first);
            Assert.True(layout.TryClaim(holder, out var firstPath, out _));

            Assert.False(layout.TryClaim(SshTarget.Parse(second), out var secondPath, out var heldBy));

            Assert.Equal(firstPath, secondPath);
            Assert.Same(holder, heldBy);
        }

        [Fact]
        public void TheCopyIsNamedAfterTheRemoteFileInsideTheHostFolder()
        {
            var layout = new DownloadLayout(Root, "/etc/ssh/sshd_config");

            Assert.True(layout.TryClaim(SshTarget.Parse("gw1:2222"), out var path, out _));
            Assert.Equal(Path.Combine(Root, "gw1+2222", "sshd_config"), path);
        }

        [Theory]
        [InlineData("/tmp/..")]
        [InlineData("..")]
        [InlineData("/tmp/.")]
        [InlineData("/tmp/")]
        [InlineData("/")]
        [InlineData("")]
        [InlineData("/tmp/a\0b")]
        public void ARemotePathThatDoesNotEndInAFileNameIsRefusedNamingIt(string remotePath)
        {
            var error = Assert.Throws<ArgumentException>(() => new DownloadLayout(Root, remotePath));

            Assert.Contains("pass the path of a remote file", error.Message);
            if (remotePath.Length > 0 && remotePath.IndexOf('\0') < 0)
            {
                Assert.Contains("'" + remotePath + "'", error.Message);
            }
        }
    }
}
