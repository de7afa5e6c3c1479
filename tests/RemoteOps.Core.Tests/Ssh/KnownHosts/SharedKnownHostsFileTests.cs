using System;
using System.IO;
using System.Linq;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh.KnownHosts
{
    /// <summary>Writing a known_hosts file that is a symbolic link, or shared with other accounts.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public sealed class SharedKnownHostsFileTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        private static bool OnLinux => OperatingSystem.IsLinux();

        private static string OwnerOf(string path) => ProcessRunner.Run("stat", new[] { "-c", "%u:%g", path }).Text.Trim();

        [Fact]
        public void WritingThroughASymbolicLinkUpdatesTheFileItPointsToAndKeepsTheLink()
        {
            if (!OnLinux)
            {
                return;
            }

            var real = Path.Combine(temp.Path, "shared", "known_hosts");
            Directory.CreateDirectory(Path.GetDirectoryName(real));
            File.WriteAllText(real, string.Empty);
            var link = Path.Combine(temp.Path, "mine", "known_hosts");
            Directory.CreateDirectory(Path.GetDirectoryName(link));
            File.CreateSymbolicLink(link, real);
            var store = new KnownHostsStore(link);

            store.Add("gw1.example", 22, "ssh-ed25519", TestKeys.FakeBlob());
            store.Add("gw2.example", 22, "ssh-ed25519", TestKeys.FakeBlob());
            store.Remove("gw2.example");

            Assert.Equal(real, new FileInfo(link).LinkTarget);
            Assert.Single(File.ReadAllLines(real));
            Assert.StartsWith("gw1.example ", File.ReadAllLines(real)[0]);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(real), ".*.tmp"));
        }

        [Fact]
        public void AnExistingFileKeepsItsMode()
        {
            if (!OnLinux)
            {
                return;
            }

            var path = Path.Combine(temp.Path, "known_hosts");
            File.WriteAllText(path, string.Empty);
            var groupWritable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead;
            File.SetUnixFileMode(path, groupWritable);

            new KnownHostsStore(path).Add("gw1.example", 22, "ssh-ed25519", TestKeys.FakeBlob());

            Assert.Equal(groupWritable, File.GetUnixFileMode(path));
        }

        [Fact]
        public void AnExistingFileOfAnotherAccountKeepsItsOwner()
        {
            if (!OnLinux || Environment.UserName != "root")
            {
                return;
            }

            var path = Path.Combine(temp.Path, "known_hosts");
            File.WriteAllText(path, string.Empty);
            Assert.Equal(0, ProcessRunner.Run("chown", new[] { "4321:4322", path }).ExitCode);

            new KnownHostsStore(path).Add("gw1.example", 22, "ssh-ed25519", TestKeys.FakeBlob());

            Assert.Equal("4321:4322", OwnerOf(path));
            Assert.Single(File.ReadAllLines(path));
        }

        [Fact]
        public void ANewFileIsStillOwnerOnly()
        {
            if (!OnLinux)
            {
                return;
            }

            var path = Path.Combine(temp.Path, "new", "known_hosts");

            new KnownHostsStore(path).Add("gw1.example", 22, "ssh-ed25519", TestKeys.FakeBlob());

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        [Fact]
        public void NoLockFileIsLeftBehind()
        {
            var path = Path.Combine(temp.Path, "known_hosts");
            var store = new KnownHostsStore(path);

            store.Add("gw1.example", 22, "ssh-ed25519", TestKeys.FakeBlob());
            store.Remove("gw1.example");

            if (OnLinux)
            {
                Assert.Empty(Directory.GetFiles(temp.Path, "*.lock"));
            }
        }
    }
}
