using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.Ocserv;
using Xunit;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Tests.Vpn.Ocserv
{
    /// <summary>
    /// The driver's command lines run by the local /bin/sh against the real ocpasswd (and the
    /// real awk, cp and mv of the group rewrite), in a temporary directory whose name needs
    /// quoting. occtl is a stand-in script on PATH that answers like 1.1.6 with no users and
    /// logs what it was asked; no ocserv runs and nothing touches the network.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class RealOcpasswdTests : IDisposable
    {
        private const string Password = "Real pass'word $HOME `id` \\ \"q\" ;|&";
        private static readonly CancellationToken None = CancellationToken.None;

        private readonly TempDirectory temp = new TempDirectory();
        private readonly string dir;
        private readonly string passwd;
        private readonly string occtlLog;
        private readonly string bin;

        public RealOcpasswdTests()
        {
            dir = Path.Combine(temp.Path, "etc o'cserv $x");
            Directory.CreateDirectory(dir);
            passwd = Path.Combine(dir, "ocpasswd");
            bin = Path.Combine(temp.Path, "bin");
            Directory.CreateDirectory(bin);
            occtlLog = Path.Combine(bin, "occtl.log");
            File.WriteAllText(Path.Combine(bin, "status.json"), OcservSamples.Status);
            string occtl = Path.Combine(bin, "occtl");
            File.WriteAllText(occtl,
                "#!/bin/sh\n" +
                "here=$(dirname \"$0\")\n" +
                "printf '%s\\n' \"$*\" >> \"$here/occtl.log\"\n" +
                "while [ $# -gt 0 ]; do case $1 in -s) shift 2 ;; --json|-j) shift ;; *) break ;; esac; done\n" +
                "case \"$*\" in\n" +
                "  'show status') cat \"$here/status.json\" ;;\n" +
                "  'show users') printf '[\\n]\\n' ;;\n" +
                "  'disconnect user '*) printf \"could not disconnect user '%s'\\n\" \"$3\"; exit 1 ;;\n" +
                "  *) echo 'unknown command' >&2; exit 1 ;;\n" +
                "esac\n");
            File.SetUnixFileMode(occtl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.WriteAllText(Path.Combine(dir, "ocserv.conf"),
                "auth = \"plain[passwd=" + passwd + "]\"\n" +
                "socket-file = /run/not-occtls-socket\n" +
                "occtl-socket-file = " + Path.Combine(dir, "occtl.socket") + "\n" +
                "max-clients = 8\n");
            Shell = new LocalShell(bin);
        }

        private LocalShell Shell { get; }

        public void Dispose() => temp.Dispose();

        private Task<OcservAppliance> OpenAsync(bool nested = false)
            => OcservAppliance.OpenAsync(nested ? new LocalShell(bin, nested: true) : Shell, new OcservOptions { ConfigPath = Path.Combine(dir, "ocserv.conf") }, None);

        private string Line(string user) => File.ReadAllLines(passwd).Single(l => l.StartsWith(user + ":", StringComparison.Ordinal));

        private static string Hash(string line) => line.Split(':')[2].TrimStart('!');

        // The hash must be the one of exactly this password: nothing added or lost on the way in.
        private static void AssertHashOf(string password, string hash)
        {
            string openssl = LocalShell.Which("openssl");
            if (openssl == null)
            {
                return;
            }

            string salt = hash.Split('$')[2];
            var start = new System.Diagnostics.ProcessStartInfo(openssl) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string arg in new[] { "passwd", "-5", "-salt", salt, "-stdin" })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = System.Diagnostics.Process.Start(start);
            process.StandardInput.Write(password + "\n");
            process.StandardInput.Close();
            string expected = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            Assert.Equal(expected, hash);
        }

        [RealOcpasswdFact]
        public Task CreateLockUnlockRegroupResetAndDeleteWorkWithTheRealTool() => LifecycleAsync(nested: false);

        [RealOcpasswdFact]
        public Task TheSameWorksThroughTheSudoStyleSecondShell() => LifecycleAsync(nested: true);

        private async Task LifecycleAsync(bool nested)
        {
            using OcservAppliance appliance = await OpenAsync(nested);
            Assert.Equal(passwd, appliance.PasswdPath);
            Assert.Equal(8, appliance.MaximumClients);

            await appliance.CreateUserAsync(new VpnUserRequest { UserName = "alice", Password = OcservApplianceTests.Secret(Password), Groups = new[] { "staff", "ops" } }, None);
            Assert.StartsWith("alice:staff,ops:$5$", Line("alice"));
            AssertHashOf(Password, Hash(Line("alice")));
            await appliance.CreateUserAsync(new VpnUserRequest { UserName = "bob", Password = OcservApplianceTests.Secret("bob-pw") }, None);
            Assert.StartsWith("bob:*:$5$", Line("bob"));

            await appliance.SetUserEnabledAsync("alice", false, None);
            Assert.StartsWith("alice:staff,ops:!$5$", Line("alice"));
            Assert.Contains("disconnect user alice", File.ReadAllText(occtlLog));
            Assert.Contains("-s " + Path.Combine(dir, "occtl.socket") + " disconnect user alice", File.ReadAllText(occtlLog));
            Assert.False((await appliance.FindUserAsync("alice", None)).Enabled);

            await appliance.SetUserEnabledAsync("alice", true, None);
            Assert.StartsWith("alice:staff,ops:$5$", Line("alice"));

            // The rewrite keeps hash, lock, the other lines, and the file's owner and mode.
            await appliance.SetUserEnabledAsync("alice", false, None);
            string aliceHash = Hash(Line("alice"));
            string bobLine = Line("bob");
            File.SetUnixFileMode(passwd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            bool root = Environment.UserName == "root";
            if (root)
            {
                ProcessRunner.RunChecked("chown", "nobody:nogroup", passwd);
            }

            await appliance.SetUserGroupsAsync("alice", new[] { "vpn-users" }, None);
            Assert.Equal("alice:vpn-users:!" + aliceHash, Line("alice"));
            Assert.Equal(bobLine, Line("bob"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(passwd));
            if (root)
            {
                Assert.Equal("nobody:nogroup", ProcessRunner.RunChecked("stat", "-c", "%U:%G", passwd).Text.Trim());
            }

            Assert.False(File.Exists(passwd + ".tmp"));
            Assert.Equal(new[] { "vpn-users" }, (await appliance.FindUserAsync("alice", None)).Groups);

            await appliance.SetUserGroupsAsync("alice", new string[0], None);
            Assert.Equal("alice:*:!" + aliceHash, Line("alice"));
            await appliance.SetUserGroupsAsync("alice", new[] { "staff", "ops" }, None);

            // A reset password changes the hash only: groups and lock stay.
            await appliance.SetUserPasswordAsync("alice", OcservApplianceTests.Secret("second " + Password), false, None);
            Assert.StartsWith("alice:staff,ops:!$5$", Line("alice"));
            Assert.NotEqual(aliceHash, Hash(Line("alice")));
            AssertHashOf("second " + Password, Hash(Line("alice")));

            await appliance.RemoveUserAsync("alice", None);
            Assert.DoesNotContain(File.ReadAllLines(passwd), l => l.StartsWith("alice:", StringComparison.Ordinal));
            Assert.Equal(new[] { "bob" }, (await appliance.GetUsersAsync(None)).Select(u => u.UserName));
            Assert.Null(await appliance.FindUserAsync("alice", None));

            var backup = await appliance.ExportConfigAsync(None);
            Assert.Equal("bob:*:(hash withheld)\n", backup.Sections["users"]);
            Assert.DoesNotContain("$5$", string.Concat(backup.Sections.Values));
        }

        [RealOcpasswdFact]
        public async Task OcpasswdWritesAnUnusableHashFrom512BytesAndTheDriverTakes511()
        {
            // The limit the driver's rules state, shown on the real tool: 512 bytes give "*0", exit code 0.
            string file = Path.Combine(dir, "probe");
            var probe = await Shell.RunPrivilegedAsync(OcservCommands.SetPassword(file, null, "long"), new string('a', 512) + "\n", None);
            Assert.Equal(0, probe.ExitCode);
            Assert.Equal("long:*:*0", File.ReadAllText(file).Trim());
            Assert.False(OcpasswdFile.Parse(File.ReadAllText(file)).Single().HashUsable);

            using OcservAppliance appliance = await OpenAsync();
            string longest = new string('b', 255) + new string('€', 85);
            Assert.Equal(510, System.Text.Encoding.UTF8.GetByteCount(longest));
            await appliance.CreateUserAsync(new VpnUserRequest { UserName = "longest", Password = OcservApplianceTests.Secret(longest + "c") }, None);
            Assert.StartsWith("longest:*:$5$", Line("longest"));
            Assert.True(OcpasswdFile.Parse(File.ReadAllText(passwd)).Single(e => e.UserName == "longest").HashUsable);

            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "toolong", Password = OcservApplianceTests.Secret(new string('a', 512)) }, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.DoesNotContain(File.ReadAllLines(passwd), l => l.StartsWith("toolong:", StringComparison.Ordinal));
        }

        [RealOcpasswdFact]
        public async Task TheVersionIsReadWhereOcserv116PrintsIt()
        {
            // ocserv 1.1.6 prints "ocserv 1.1.6", a blank line and its build options on standard error.
            string ocserv = Path.Combine(bin, "ocserv");
            File.WriteAllText(ocserv, "#!/bin/sh\n[ \"$1\" = --version ] || exit 1\nprintf 'ocserv 1.1.6\\n\\nCompiled with: seccomp, PAM\\n' >&2\n");
            File.SetUnixFileMode(ocserv, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using OcservAppliance appliance = await OpenAsync();
            Assert.Equal("ocserv 1.1.6", appliance.Info.Version);
        }

        [RealOcpasswdFact]
        public async Task AStaleTmpFileStopsEveryWriterAndIsLeftAlone()
        {
            using OcservAppliance appliance = await OpenAsync();
            await appliance.CreateUserAsync(new VpnUserRequest { UserName = "alice", Password = OcservApplianceTests.Secret("pw") }, None);
            string before = File.ReadAllText(passwd);
            File.WriteAllText(passwd + ".tmp", string.Empty);

            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "bob", Password = OcservApplianceTests.Secret(Password) }, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("is locked", error.Message);
            Assert.Contains(passwd + ".tmp", error.Remedy);
            Assert.DoesNotContain(Password, error.Message);

            error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("alice", new[] { "staff" }, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("is locked", error.Message);

            error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserEnabledAsync("alice", false, None));
            Assert.Contains("is locked", error.Message);

            Assert.True(File.Exists(passwd + ".tmp"));
            Assert.Equal(before, File.ReadAllText(passwd));
        }

        [RealOcpasswdFact]
        public async Task TheGroupRewriteLeavesNoTraceWhenTheUserIsMissing()
        {
            File.WriteAllText(passwd, "# kept\nalice:*:$5$abc$def\n");
            using OcservAppliance appliance = await OpenAsync();
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("ghost", new[] { "staff" }, None));
            Assert.Equal(ApplianceErrorKind.NotFound, error.Kind);
            Assert.Equal("# kept\nalice:*:$5$abc$def\n", File.ReadAllText(passwd));
            Assert.False(File.Exists(passwd + ".tmp"));
            Assert.False(File.Exists(passwd + ".new"));

            await appliance.SetUserGroupsAsync("alice", new[] { "a", "b" }, None);
            Assert.Equal("# kept\nalice:a,b:$5$abc$def\n", File.ReadAllText(passwd));
            Assert.False(File.Exists(passwd + ".tmp"));
            Assert.False(File.Exists(passwd + ".new"));
        }

        [RealOcpasswdFact]
        public async Task TheRewriteLockStopsTheRealOcpasswdAndIsHeldOnlyDuringTheRewrite()
        {
            // ocpasswd's lock is FILE.tmp, opened exclusively: the symbolic link the rewrite takes stops it.
            File.WriteAllText(passwd, "alice:*:$5$abc$def\n");
            var locked = await Shell.RunPrivilegedAsync(OcservCommands.Lock(passwd), null, None);
            Assert.Equal(0, locked.ExitCode);
            var ocpasswd = await Shell.RunPrivilegedAsync(OcservCommands.SetPassword(passwd, null, "bob"), "pw\n", None);
            Assert.NotEqual(0, ocpasswd.ExitCode);
            Assert.Contains("is locked", ocpasswd.StandardError);
            var again = await Shell.RunPrivilegedAsync(OcservCommands.Lock(passwd), null, None);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("File exists", again.StandardError);
            await Shell.RunPrivilegedAsync(OcservCommands.Unlock(passwd), null, None);
            Assert.False(File.Exists(passwd + ".tmp"));
            Assert.Equal(0, (await Shell.RunPrivilegedAsync(OcservCommands.SetPassword(passwd, null, "bob"), "pw\n", None)).ExitCode);
        }

        [RealOcpasswdFact]
        public async Task ConcurrentWritesAllLand()
        {
            using OcservAppliance appliance = await OpenAsync();
            var names = Enumerable.Range(1, 8).Select(i => "user" + i).ToList();
            await Task.WhenAll(names.Select(n => appliance.CreateUserAsync(new VpnUserRequest { UserName = n, Password = OcservApplianceTests.Secret("pw-" + n), Groups = new[] { "g" + n } }, None)));
            await Task.WhenAll(names.Select(n => appliance.SetUserGroupsAsync(n, new[] { "h" + n }, None)).Concat(names.Select(n => appliance.SetUserEnabledAsync(n, false, None))));
            var users = await appliance.GetUsersAsync(None);
            Assert.Equal(names.OrderBy(n => n), users.Select(u => u.UserName).OrderBy(n => n));
            Assert.All(users, u => Assert.False(u.Enabled));
            Assert.All(users, u => Assert.Equal(new[] { "h" + u.UserName }, u.Groups));
        }
    }
}
