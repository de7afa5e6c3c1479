using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.Ocserv;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn.Ocserv
{
    public sealed class OcservApplianceTests
    {
        private const string Password = "S3cret pass'word $HOME `id` \\ \"x\"";
        private static readonly CancellationToken None = CancellationToken.None;

        internal static SecureString Secret(string text)
        {
            var secret = new SecureString();
            foreach (char c in text)
            {
                secret.AppendChar(c);
            }

            return secret;
        }

        private static FakeOcservShell NewHost(string config = OcservSamples.Config, string passwd = OcservSamples.Passwd)
        {
            var fake = new FakeOcservShell();
            fake.Files[OcservOptions.DefaultConfigPath] = config;
            if (passwd != null)
            {
                fake.Files[OcservSamples.PasswdPath] = passwd;
            }

            return fake;
        }

        private static async Task<OcservAppliance> OpenAsync(FakeOcservShell fake, OcservOptions options = null)
        {
            OcservAppliance appliance = await OcservAppliance.OpenAsync(fake, options ?? new OcservOptions(), None);
            fake.ClearCalls();
            return appliance;
        }

        private static string Line(FakeOcservShell fake, string user)
            => fake.Files[OcservSamples.PasswdPath].Split('\n').First(l => l.StartsWith(user + ":", StringComparison.Ordinal));

        private static void AssertSecretOnlyOnStandardInput(FakeOcservShell fake, string secret)
        {
            foreach (RecordedCall call in fake.Calls)
            {
                Assert.DoesNotContain(secret, call.CommandLine);
                if (call.StandardInput != null)
                {
                    Assert.Equal("ocpasswd", call.Program);
                    Assert.Equal(secret + "\n", call.StandardInput);
                }
            }
        }

        // ---------------------------------------------------------------- opening

        [Fact]
        public async Task OpeningReadsTheConfigOnceAndAsksOcctlForTheStatus()
        {
            var fake = NewHost();
            OcservAppliance appliance = await OcservAppliance.OpenAsync(fake, new OcservOptions(), None);

            Assert.Equal(3, fake.Calls.Count);
            Assert.Equal(new[] { "cat", "--", "/etc/ocserv/ocserv.conf" }, fake.Calls[0].Words);
            Assert.Equal(OcservCommands.ServerInfo, fake.Calls[1].CommandLine);
            Assert.Equal(new[] { "occtl", "-s", OcservSamples.OcctlSocket, "--json", "show", "status" }, fake.Calls[2].Words);
            Assert.Equal("Ocserv", appliance.Info.Driver);
            Assert.Equal(fake.Host, appliance.Info.Address);
            Assert.Equal("vpn1", appliance.Info.Name);
            Assert.Equal("ocserv 1.1.6", appliance.Info.Version);
            Assert.True(appliance.SupportsUserGroups);
            Assert.Equal(OcservSamples.PasswdPath, appliance.PasswdPath);
            Assert.Equal(OcservSamples.OcctlSocket, appliance.OcctlSocket);
            Assert.Equal(16, appliance.MaximumClients);
        }

        [Fact]
        public async Task GivenPathsWinOverTheConfig()
        {
            var fake = NewHost();
            fake.Files["/srv/users"] = "zed:*:$5$x$y\n";
            var appliance = await OpenAsync(fake, new OcservOptions { PasswdPath = "/srv/users", OcctlSocket = "/run/other.socket" });
            Assert.Equal("/srv/users", appliance.PasswdPath);
            Assert.Equal("zed", (await appliance.GetUsersAsync(None)).Single().UserName);
            await appliance.GetSessionsAsync(null, None);
            Assert.Equal("/run/other.socket", fake.LastOcctlSocket);
        }

        [Fact]
        public async Task WithoutPlainAuthOrOcctlSocketTheDefaultsAreUsed()
        {
            var fake = NewHost("tcp-port = 443\n", null);
            var appliance = await OpenAsync(fake);
            Assert.Equal("/etc/ocserv/ocpasswd", appliance.PasswdPath);
            Assert.Null(appliance.OcctlSocket);
            Assert.Null(appliance.MaximumClients);
            Assert.Empty(await appliance.GetUsersAsync(None));
            await appliance.GetSessionsAsync(null, None);
            Assert.Equal(new[] { "occtl", "--json", "show", "users" }, fake.Calls.Last().Words);
        }

        [Fact]
        public async Task ServerInfoIsBestEffort()
        {
            var fake = NewHost();
            fake.ServerInfo = "name=\noffset=garbage\nversion=\n";
            var appliance = await OpenAsync(fake);
            Assert.Equal(fake.Host, appliance.Info.Name);
            Assert.Null(appliance.Info.Version);
        }

        [Fact]
        public async Task AServerThatIsDownFailsTheConnectionAsUnreachable()
        {
            var fake = NewHost();
            fake.StatusOutput = OcservSamples.StatusOffline;
            fake.StatusExitCode = 1;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => OcservAppliance.OpenAsync(fake, new OcservOptions(), None));
            Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
            Assert.Contains(fake.Host, error.Message);
            Assert.Contains("occtl-socket-file", error.Remedy);
            Assert.False(fake.Disposed);
        }

        [Fact]
        public async Task APasswordOcpasswdCannotHashIsRefusedBeforeAnyCommand()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret(new string('p', 512)) }, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Contains("at most 511 bytes", error.Message);
            error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("alice", Secret(new string('p', 600)), false, None));
            Assert.Contains("600 bytes", error.Message);
            Assert.Empty(fake.Calls);
        }

        [Fact]
        public async Task AnUnusableHashWrittenWithExitCodeZeroFailsTheCreationAndTheReset()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            // What ocpasswd 1.1.6 does when crypt fails: the failure token "*0" as the hash, exit code 0.
            fake.Intercept = call =>
            {
                if (call.Program != "ocpasswd" || call.StandardInput == null)
                {
                    return null;
                }

                string user = call.Words[call.Words.Count - 1];
                string rest = string.Concat(fake.Files[OcservSamples.PasswdPath].Split('\n').Where(l => l.Length > 0 && !l.StartsWith(user + ":", StringComparison.Ordinal)).Select(l => l + "\n"));
                fake.Files[OcservSamples.PasswdPath] = rest + user + ":*:*0\n";
                return FakeOcservShell.Output(0, string.Empty, string.Empty);
            };
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret(Password) }, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("not a usable hash", error.Message);
            Assert.Contains("nobody can sign in", error.Message);
            Assert.Contains("Set-RoVpnUser -Password", error.Remedy);
            Assert.DoesNotContain(Password, error.Message + error.Remedy);

            error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("alice", Secret(Password), false, None));
            Assert.Contains("not a usable hash", error.Message);
        }

        [Fact]
        public async Task AChannelTheServerKeptRefusingIsBusyNotUnreachable()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.Intercept = call => throw new SshChannelRefusedException(fake.Host, 6, 8, new Renci.SshNet.Common.SshException("Failed to open a channel after 1 attempts."));
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.FindUserAsync("alice", None));
            Assert.Equal(ApplianceErrorKind.Busy, error.Kind);
            Assert.Contains("MaxSessions", error.Message);
            Assert.Contains("-ThrottleLimit", error.Remedy);
            Assert.DoesNotContain("reconnect", error.Remedy);
        }

        [Fact]
        public async Task TheRemedyForAServerThatDoesNotAnswerNamesOnlyWhatTheUserCanChange()
        {
            var fake = NewHost();
            fake.StatusOutput = string.Empty;
            fake.StatusExitCode = 1;
            fake.Intercept = call => call.Program == "occtl"
                ? FakeOcservShell.Output(1, string.Empty, "error connecting to ocserv socket '/run/occtl.socket': No such file or directory\n")
                : null;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => OcservAppliance.OpenAsync(fake, new OcservOptions(), None));
            Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
            // Connect-RoVpnAppliance has -ConfigPath; it has no parameter for occtl's socket.
            Assert.Contains("-ConfigPath", error.Remedy);
            Assert.DoesNotContain("(OcctlSocket)", error.Remedy);
        }

        [Fact]
        public async Task UsersOfAnotherAuthMethodGetARemedyWithoutAParameterThatDoesNotExist()
        {
            var fake = NewHost(config: "auth = \"pam\"\nuse-occtl = true\n");
            var appliance = await OpenAsync(fake);
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.RemoveUserAsync("alice", None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.DoesNotContain("PasswdPath", error.Remedy);
            Assert.Contains("plain[passwd=", error.Remedy);
        }

        [Fact]
        public async Task AMissingConfigIsNotFoundWithARemedy()
        {
            var fake = new FakeOcservShell();
            var error = await Assert.ThrowsAsync<ApplianceException>(() => OcservAppliance.OpenAsync(fake, new OcservOptions(), None));
            Assert.Equal(ApplianceErrorKind.NotFound, error.Kind);
            Assert.Contains("/etc/ocserv/ocserv.conf", error.Message);
            Assert.Contains("-ConfigPath", error.Remedy);
        }

        [Fact]
        public async Task SudoAskingForAPasswordIsAnAuthenticationFailure()
        {
            var fake = NewHost();
            fake.Intercept = call => FakeOcservShell.Output(1, string.Empty, "sudo: a password is required\n");
            var error = await Assert.ThrowsAsync<ApplianceException>(() => OcservAppliance.OpenAsync(fake, new OcservOptions(), None));
            Assert.Equal(ApplianceErrorKind.AuthenticationFailed, error.Kind);
            Assert.Contains("NOPASSWD", error.Remedy);
        }

        [Fact]
        public async Task ABrokenSshChannelBecomesUnreachable()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.Intercept = call => throw new System.IO.IOException("connection reset");
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetUsersAsync(None));
            Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
            Assert.Contains("connection reset", error.Message);
        }

        [Fact]
        public async Task DisposingClosesTheShell()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            appliance.Dispose();
            appliance.Dispose();
            Assert.True(fake.Disposed);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => appliance.GetUsersAsync(None));
        }

        // ---------------------------------------------------------------- users: reading

        [Fact]
        public async Task ListsUsersWithoutHashes()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var users = await appliance.GetUsersAsync(None);
            Assert.Equal(new[] { "alice", "bob", "carol", "dave" }, users.Select(u => u.UserName));
            Assert.Equal(new[] { true, false, true, true }, users.Select(u => u.Enabled));
            Assert.Equal(new[] { "staff", "ops" }, users[0].Groups);
            Assert.Empty(users[1].Groups);
            Assert.All(users, u => Assert.Equal("Ocserv", u.Driver));
            Assert.All(users, u => Assert.Equal(fake.Host, u.Appliance));
            Assert.Equal(new[] { "cat", "--", OcservSamples.PasswdPath }, fake.Calls.Single().Words);
            Assert.True(fake.Calls.Single().Privileged);
        }

        [Fact]
        public async Task AMissingPasswordFileMeansNoUsers()
        {
            var fake = NewHost(passwd: null);
            var appliance = await OpenAsync(fake);
            Assert.Empty(await appliance.GetUsersAsync(None));
            Assert.Null(await appliance.FindUserAsync("alice", None));
        }

        [Fact]
        public async Task FindsOneUserByExactName()
        {
            var appliance = await OpenAsync(NewHost());
            Assert.False((await appliance.FindUserAsync("bob", None)).Enabled);
            Assert.Null(await appliance.FindUserAsync("Bob", None));
        }

        // ---------------------------------------------------------------- hostile input

        public static IEnumerable<object[]> HostileNames => new[]
        {
            new object[] { "alice; rm -rf /" },
            new object[] { "-l" },
            new object[] { "a b" },
            new object[] { "a:b" },
            new object[] { "$(reboot)" },
            new object[] { "alice\n" },
            new object[] { "x'y" },
            new object[] { "" },
            new object[] { null },
        };

        [Theory]
        [MemberData(nameof(HostileNames))]
        public async Task HostileUserNamesAreRefusedBeforeAnyCommand(string name)
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await Assert.ThrowsAsync<ArgumentException>(() => appliance.FindUserAsync(name, None));
            await Assert.ThrowsAsync<ArgumentException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = name, Password = Secret("pw") }, None));
            await Assert.ThrowsAsync<ArgumentException>(() => appliance.SetUserEnabledAsync(name, false, None));
            await Assert.ThrowsAsync<ArgumentException>(() => appliance.SetUserPasswordAsync(name, Secret("pw"), false, None));
            await Assert.ThrowsAsync<ArgumentException>(() => appliance.SetUserGroupsAsync(name, new[] { "staff" }, None));
            await Assert.ThrowsAsync<ArgumentException>(() => appliance.RemoveUserAsync(name, None));
            if (name != null)
            {
                await Assert.ThrowsAsync<ArgumentException>(() => appliance.GetSessionsAsync(name, None));
            }

            Assert.Empty(fake.Calls);
        }

        [Theory]
        [InlineData("a,b")]
        [InlineData("a:b")]
        [InlineData("a b")]
        [InlineData("..")]
        [InlineData(".")]
        [InlineData("x/../../etc/passwd")]
        [InlineData("staff\n")]
        [InlineData("")]
        public async Task HostileGroupsAreRefusedBeforeAnyCommand(string group)
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GroupExistsAsync(group, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("alice", new[] { group }, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret("pw"), Groups = new[] { group } }, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Empty(fake.Calls);
        }

        [Theory]
        [InlineData("two\nlines")]
        [InlineData("carriage\rreturn")]
        [InlineData("")]
        public async Task PasswordsOcpasswdCannotTakeAreRefusedWithoutShowingThem(string password)
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret(password) }, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Contains("zoe", error.Message);
            if (password.Length > 0)
            {
                Assert.DoesNotContain(password, error.Message);
            }

            error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("alice", password.Length == 0 ? null : Secret(password), false, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Empty(fake.Calls);
        }

        [Fact]
        public async Task ChangePasswordAtSignInIsRefused()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("alice", Secret(Password), true, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Empty(fake.Calls);
        }

        // ---------------------------------------------------------------- users: writing

        [Fact]
        public async Task CreatesAUserWithThePasswordOnStandardInputOnly()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret(Password), Groups = new[] { "staff", "ops", "staff" } }, None);

            RecordedCall create = fake.Calls.Single(c => c.Program == "ocpasswd");
            Assert.Equal("'ocpasswd' '-c' '/etc/ocserv/passwd' '-g' 'staff,ops' '--' 'zoe'", create.CommandLine);
            Assert.Equal(Password + "\n", create.StandardInput);
            AssertSecretOnlyOnStandardInput(fake, Password);
            Assert.StartsWith("zoe:staff,ops:$5$", Line(fake, "zoe"));
            var zoe = await appliance.FindUserAsync("zoe", None);
            Assert.True(zoe.Enabled);
            Assert.Equal(new[] { "staff", "ops" }, zoe.Groups);
        }

        [Fact]
        public async Task CreatesAUserWithoutGroupsAsStar()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret("pw") }, None);
            Assert.Equal(new[] { "ocpasswd", "-c", OcservSamples.PasswdPath, "--", "zoe" }, fake.Calls.Single(c => c.Program == "ocpasswd").Words);
            Assert.StartsWith("zoe:*:", Line(fake, "zoe"));
        }

        [Fact]
        public async Task CreatingIntoAMissingFileCreatesIt()
        {
            var fake = NewHost(passwd: null);
            var appliance = await OpenAsync(fake);
            await appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret("pw") }, None);
            Assert.Equal("zoe", (await appliance.GetUsersAsync(None)).Single().UserName);
        }

        [Fact]
        public async Task ADisabledNewUserIsLockedStraightAway()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret("pw"), Enabled = false }, None);
            Assert.Equal(new[] { "ocpasswd", "-c", OcservSamples.PasswdPath, "-l", "--", "zoe" }, fake.Calls.Last(c => c.Program == "ocpasswd").Words);
            Assert.False((await appliance.FindUserAsync("zoe", None)).Enabled);
        }

        [Fact]
        public async Task CreatingAnExistingUserIsRefusedWithoutTouchingIt()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            string before = fake.Files[OcservSamples.PasswdPath];
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "alice", Password = Secret(Password) }, None));
            Assert.Equal(ApplianceErrorKind.AlreadyExists, error.Kind);
            Assert.Contains("alice", error.Message);
            Assert.DoesNotContain(fake.Calls, c => c.Program == "ocpasswd");
            Assert.Equal(before, fake.Files[OcservSamples.PasswdPath]);
        }

        [Fact]
        public async Task ACreateThatDidNotLandIsAVerificationFailure()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.OcpasswdIgnoresWrites = true;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret(Password) }, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("'zoe'", error.Message);
            Assert.Contains("reading /etc/ocserv/passwd back", error.Message);
            Assert.DoesNotContain(Password, error.Message + error.Remedy);
        }

        [Fact]
        public async Task AFailingOcpasswdIsReportedWithItsErrorButNeverThePassword()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.Intercept = call => call.Program == "ocpasswd"
                ? FakeOcservShell.Output(1, string.Empty, "ocpasswd: could not hash '" + call.StandardInput.TrimEnd('\n') + "': crypt failed\n")
                : null;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret(Password) }, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("Creating user 'zoe'", error.Message);
            Assert.Contains("exit code 1", error.Message);
            Assert.Contains("crypt failed", error.Message);
            Assert.Contains("(secret)", error.Message);
            Assert.DoesNotContain(Password, error.Message);
            Assert.DoesNotContain(Password, error.ToString());
        }

        [Fact]
        public async Task AStaleTmpFileIsAFailureThatSaysWhatToRemove()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.Files[OcservSamples.PasswdPath + ".tmp"] = string.Empty;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret("pw") }, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("is locked", error.Message);
            Assert.Contains("remove /etc/ocserv/passwd.tmp", error.Remedy);

            error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("alice", new[] { "staff" }, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("remove /etc/ocserv/passwd.tmp", error.Remedy);
        }

        [Fact]
        public async Task ATimedOutWriteSaysTheChangeMayHaveHappened()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.Intercept = call => call.Program == "ocpasswd" ? new SshCommandOutput(null, string.Empty, string.Empty, true) : null;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserEnabledAsync("alice", false, None));
            Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
            Assert.Contains("did not finish in time", error.Message);
            Assert.Contains("may or may not", error.Remedy);
        }

        [Fact]
        public async Task DisablingLocksThenEndsTheSessions()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await appliance.SetUserEnabledAsync("alice", false, None);

            var programs = fake.Calls.Select(c => c.Program).ToList();
            Assert.Equal(new[] { "cat", "ocpasswd", "cat", "occtl" }, programs);
            Assert.Equal(new[] { "ocpasswd", "-c", OcservSamples.PasswdPath, "-l", "--", "alice" }, fake.Calls[1].Words);
            Assert.Equal(new[] { "occtl", "-s", OcservSamples.OcctlSocket, "disconnect", "user", "alice" }, fake.Calls[3].Words);
            Assert.StartsWith("alice:staff,ops:!$5$", Line(fake, "alice"));
        }

        [Fact]
        public async Task DisablingADisabledUserStillEndsItsSessions()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var ended = new List<string>();
            fake.DisconnectUser = user =>
            {
                ended.Add(user);
                return FakeOcservShell.Output(0, "user '" + user + "' was disconnected\n", string.Empty);
            };
            await appliance.SetUserEnabledAsync("bob", false, None);
            Assert.DoesNotContain(fake.Calls, c => c.Program == "ocpasswd");
            Assert.Equal(new[] { "bob" }, ended);
        }

        [Fact]
        public async Task DisablingWhenOcctlCannotEndTheSessionSaysSo()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.DisconnectUser = user => FakeOcservShell.Output(1, string.Empty, "error connecting to ocserv socket '/run/occtl.socket': Connection refused\n");
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserEnabledAsync("alice", false, None));
            Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
            Assert.Contains("User 'alice' was disabled", error.Message);
            Assert.Contains("could not be ended", error.Message);
            Assert.Contains("Disconnect-RoVpnSession -UserName alice", error.Remedy);
            Assert.False((await appliance.FindUserAsync("alice", None)).Enabled);
        }

        [Fact]
        public async Task EnablingUnlocksAndEndsNothing()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await appliance.SetUserEnabledAsync("bob", true, None);
            Assert.Equal(new[] { "ocpasswd", "-c", OcservSamples.PasswdPath, "-u", "--", "bob" }, fake.Calls.Single(c => c.Program == "ocpasswd").Words);
            Assert.DoesNotContain(fake.Calls, c => c.Program == "occtl");
            Assert.True((await appliance.FindUserAsync("bob", None)).Enabled);
        }

        [Fact]
        public async Task ALockThatDidNotLandIsAVerificationFailure()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.OcpasswdIgnoresWrites = true;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserEnabledAsync("alice", false, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("still unlocked", error.Message);
        }

        [Fact]
        public async Task ChangingAnAbsentUserIsNotFound()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            foreach (Func<Task> change in new Func<Task>[]
            {
                () => appliance.SetUserEnabledAsync("nobody", false, None),
                () => appliance.SetUserPasswordAsync("nobody", Secret("pw"), false, None),
                () => appliance.SetUserGroupsAsync("nobody", new[] { "staff" }, None),
            })
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(change);
                Assert.Equal(ApplianceErrorKind.NotFound, error.Kind);
                Assert.Contains("'nobody'", error.Message);
            }

            Assert.All(fake.Calls, c => Assert.Equal("cat", c.Program));
        }

        [Fact]
        public async Task AResetPasswordKeepsGroupsAndTheLock()
        {
            var fake = NewHost(passwd: "bob:staff,ops:!$5$old$hash\n");
            var appliance = await OpenAsync(fake);
            await appliance.SetUserPasswordAsync("bob", Secret(Password), false, None);

            var writes = fake.Calls.Where(c => c.Program == "ocpasswd").ToList();
            Assert.Equal(new[] { "ocpasswd", "-c", OcservSamples.PasswdPath, "-g", "staff,ops", "--", "bob" }, writes[0].Words);
            Assert.Equal(Password + "\n", writes[0].StandardInput);
            Assert.Equal(new[] { "ocpasswd", "-c", OcservSamples.PasswdPath, "-l", "--", "bob" }, writes[1].Words);
            AssertSecretOnlyOnStandardInput(fake, Password);
            Assert.StartsWith("bob:staff,ops:!$5$fakesalt", Line(fake, "bob"));
        }

        [Fact]
        public async Task AResetPasswordOfAnEnabledUserDoesNotLockIt()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await appliance.SetUserPasswordAsync("dave", Secret("new-pw"), false, None);
            Assert.Single(fake.Calls, c => c.Program == "ocpasswd");
            Assert.Equal("-g", fake.Calls.Single(c => c.Program == "ocpasswd").Words[3]);
            Assert.Equal("g1, g2", fake.Calls.Single(c => c.Program == "ocpasswd").Words[4]);
            Assert.StartsWith("dave:g1, g2:$5$fakesalt", Line(fake, "dave"));
        }

        [Fact]
        public async Task APasswordThatDidNotChangeTheHashIsAVerificationFailure()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.OcpasswdIgnoresWrites = true;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("alice", Secret(Password), false, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("hash did not change", error.Message);
            Assert.DoesNotContain(Password, error.Message);
        }

        [Fact]
        public async Task AFailedRelockSaysTheUserIsNowEnabled()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.Intercept = call => call.Program == "ocpasswd" && call.Words.Contains("-l")
                ? FakeOcservShell.Output(1, string.Empty, "Cannot open '/etc/ocserv/passwd' for reading.\n")
                : null;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserPasswordAsync("bob", Secret(Password), false, None));
            Assert.Contains("now ENABLED", error.Message);
            Assert.Contains("Set-RoVpnUser -Enabled $false", error.Remedy);
        }

        [Fact]
        public async Task GroupsAreRewrittenInPlaceKeepingHashAndLock()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            string bobBefore = Line(fake, "bob");
            await appliance.SetUserGroupsAsync("bob", new[] { "ops", "staff" }, None);

            // Fixed programs only, each one a sudoers rule can name: lock, read, copy, write, replace, unlock.
            string f = OcservSamples.PasswdPath;
            Assert.Equal(
                new[]
                {
                    "cat -- " + f,
                    "ln -s -T -- " + f + " " + f + ".tmp",
                    "cat -- " + f,
                    "cp -p -- " + f + " " + f + ".new",
                    "tee -- " + f + ".new",
                    "mv -f -- " + f + ".new " + f,
                    "rm -f -- " + f + ".new " + f + ".tmp",
                    "cat -- " + f,
                },
                fake.Calls.Select(c => string.Join(" ", c.Words)));
            Assert.All(fake.Calls, c => Assert.True(c.Privileged));
            string written = fake.Calls.Single(c => c.Program == "tee").StandardInput;
            Assert.Equal(OcservSamples.Passwd.Replace("bob:*:", "bob:ops,staff:"), written);
            Assert.Equal(bobBefore.Replace("bob:*:", "bob:ops,staff:"), Line(fake, "bob"));
            Assert.False(fake.Files.ContainsKey(f + ".tmp"));
            Assert.False(fake.Files.ContainsKey(f + ".new"));
            Assert.Equal(new[] { "ops", "staff" }, (await appliance.FindUserAsync("bob", None)).Groups);
        }

        [Fact]
        public async Task NoGroupsIsWrittenAsStarAndTheSameGroupsWriteNothing()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await appliance.SetUserGroupsAsync("alice", new string[0], None);
            Assert.StartsWith("alice:*:$5$", Line(fake, "alice"));
            fake.ClearCalls();
            await appliance.SetUserGroupsAsync("alice", null, None);
            Assert.DoesNotContain(fake.Calls, c => c.Program == "ln");
        }

        [Fact]
        public async Task AGroupRewriteThatFindsNoUserIsNotFound()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            // The user goes away between the first read and the read under the lock.
            fake.Intercept = call =>
            {
                if (call.Program == "ln")
                {
                    fake.Files[OcservSamples.PasswdPath] = "bob:*:$5$x$y\n";
                }

                return null;
            };
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("alice", new[] { "x1" }, None));
            Assert.Equal(ApplianceErrorKind.NotFound, error.Kind);
            Assert.DoesNotContain(fake.Calls, c => c.Program == "tee");
            Assert.Equal("rm", fake.Calls.Last().Program);
            Assert.False(fake.Files.ContainsKey(OcservSamples.PasswdPath + ".tmp"));
        }

        [Fact]
        public async Task AGroupRewriteWhileOcpasswdHoldsItsLockFailsAndLeavesTheLock()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.Files[OcservSamples.PasswdPath + ".tmp"] = string.Empty;
            string before = fake.Files[OcservSamples.PasswdPath];
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("alice", new[] { "x1" }, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("is locked", error.Message);
            Assert.Contains(OcservSamples.PasswdPath + ".tmp", error.Remedy);
            Assert.DoesNotContain(fake.Calls, c => c.Program == "rm" || c.Program == "tee");
            Assert.True(fake.Files.ContainsKey(OcservSamples.PasswdPath + ".tmp"));
            Assert.Equal(before, fake.Files[OcservSamples.PasswdPath]);
        }

        [Fact]
        public async Task AFailedWriteOfTheRewriteStillReleasesTheLock()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            string before = fake.Files[OcservSamples.PasswdPath];
            fake.Intercept = call => call.Program == "tee" ? FakeOcservShell.Output(1, string.Empty, "tee: /etc/ocserv/ocpasswd.new: No space left on device\n") : null;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("alice", new[] { "x1" }, None));
            Assert.Contains("No space left", error.Message);
            Assert.Equal("rm", fake.Calls.Last().Program);
            Assert.False(fake.Files.ContainsKey(OcservSamples.PasswdPath + ".tmp"));
            Assert.False(fake.Files.ContainsKey(OcservSamples.PasswdPath + ".new"));
            Assert.Equal(before, fake.Files[OcservSamples.PasswdPath]);
        }

        [Fact]
        public async Task AGroupRewriteThatDidNotLandIsAVerificationFailure()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.OcpasswdIgnoresWrites = true;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.SetUserGroupsAsync("alice", new[] { "x1" }, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("groups staff,ops", error.Message);
        }

        [Fact]
        public async Task RemovingDeletesChecksAndThenEndsSessions()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await appliance.RemoveUserAsync("alice", None);
            Assert.Equal(new[] { "cat", "ocpasswd", "cat", "occtl" }, fake.Calls.Select(c => c.Program));
            Assert.Equal(new[] { "ocpasswd", "-c", OcservSamples.PasswdPath, "-d", "--", "alice" }, fake.Calls[1].Words);
            Assert.Equal(new[] { "occtl", "-s", OcservSamples.OcctlSocket, "disconnect", "user", "alice" }, fake.Calls[3].Words);
            Assert.Null(await appliance.FindUserAsync("alice", None));
        }

        [Fact]
        public async Task RemovingAnAbsentUserOnlyEndsItsSessions()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            await appliance.RemoveUserAsync("ghost", None);
            Assert.Equal(new[] { "cat", "occtl" }, fake.Calls.Select(c => c.Program));
        }

        [Fact]
        public async Task ARemovalOcpasswdIgnoredIsAVerificationFailure()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.OcpasswdIgnoresWrites = true;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.RemoveUserAsync("alice", None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("still in the file", error.Message);
            Assert.DoesNotContain(fake.Calls, c => c.Program == "occtl");
        }

        [Fact]
        public async Task WritesAreRefusedWhenOcservDoesNotUseAPasswordFile()
        {
            var fake = NewHost("auth = \"pam\"\n", null);
            var appliance = await OpenAsync(fake);
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret("pw") }, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Contains("pam", error.Message);
            Assert.Empty(fake.Calls);

            var explicitFile = await OpenAsync(fake, new OcservOptions { PasswdPath = "/srv/ocpasswd" });
            await explicitFile.CreateUserAsync(new VpnUserRequest { UserName = "zoe", Password = Secret("pw") }, None);
            Assert.StartsWith("zoe:*:", fake.Files["/srv/ocpasswd"]);
        }

        [Fact]
        public async Task ConcurrentWritesNeverOverlap()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.Delay = TimeSpan.FromMilliseconds(3);
            var names = Enumerable.Range(1, 12).Select(i => "user" + i).ToList();
            var writes = names.Select(n => appliance.CreateUserAsync(new VpnUserRequest { UserName = n, Password = Secret("pw-" + n) }, None))
                .Concat(new[] { appliance.SetUserEnabledAsync("alice", false, None), appliance.SetUserGroupsAsync("dave", new[] { "x1" }, None), appliance.RemoveUserAsync("carol", None) })
                .ToList();
            await Task.WhenAll(writes);

            Assert.Equal(1, fake.MaxConcurrentCalls);
            var users = await appliance.GetUsersAsync(None);
            Assert.All(names, n => Assert.Contains(users, u => u.UserName == n));
            Assert.DoesNotContain(users, u => u.UserName == "carol");
            foreach (string n in names)
            {
                Assert.Equal("pw-" + n + "\n", fake.Calls.Single(c => c.Program == "ocpasswd" && c.Words.Last() == n).StandardInput);
            }
        }

        // ---------------------------------------------------------------- groups

        [Fact]
        public async Task AGroupNameWithASpaceIsAnInvalidRequestNotAMissingGroup()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            VpnUserChange change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "zoe", Password = Secret("pw"), Groups = new[] { "vpn staff" } }, false, new GroupCheck(), None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.Equal(ApplianceErrorKind.InvalidRequest, change.ErrorKind);
            Assert.Contains("'vpn staff' is not a valid ocserv group name", change.Message);
            Assert.Contains("no spaces", change.Message);
            Assert.DoesNotContain(fake.Calls, c => c.Program == "ocpasswd");
        }

        [Fact]
        public async Task AnyWellFormedGroupExistsWithoutConfigPerGroup()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            Assert.True(await appliance.GroupExistsAsync("staff", None));
            Assert.True(await appliance.GroupExistsAsync("vpn.users-2", None));
            Assert.Empty(fake.Calls);
        }

        [Fact]
        public async Task WithConfigPerGroupAGroupExistsWhenItsFileDoes()
        {
            var fake = NewHost("config-per-group = /etc/ocserv/config-per-group/\n" + OcservSamples.Config);
            var appliance = await OpenAsync(fake);
            Assert.False(await appliance.GroupExistsAsync("staff", None));
            fake.Files["/etc/ocserv/config-per-group/staff"] = "route = 198.19.0.0/255.255.0.0\n";
            Assert.True(await appliance.GroupExistsAsync("staff", None));
            Assert.Equal(new[] { "test", "-f", "/etc/ocserv/config-per-group/staff" }, fake.Calls.Last().Words);
        }

        // ---------------------------------------------------------------- sessions

        [Fact]
        public async Task ListsConnectedSessionsOfEveryoneOrOfOneUser()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var all = await appliance.GetSessionsAsync(null, None);
            Assert.Equal(new[] { "alice", "bob" }, all.Select(s => s.UserName));
            Assert.All(all, s => Assert.Equal("vpn1", s.Node));
            Assert.All(all, s => Assert.Equal(fake.Host, s.Appliance));
            Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 15, 0, TimeSpan.FromHours(2)), all[0].SignInTime);
            Assert.Equal(new[] { "occtl", "-s", OcservSamples.OcctlSocket, "--json", "show", "users" }, fake.Calls[0].Words);

            Assert.Equal("4250", (await appliance.GetSessionsAsync("bob", None)).Single().SessionId);
            Assert.Empty(await appliance.GetSessionsAsync("Bob", None));
            Assert.Empty(await appliance.GetSessionsAsync("carol", None));
        }

        [Theory]
        [InlineData("[\n]\n")]
        [InlineData("[\n]")]
        [InlineData("")]
        public async Task NoUsersIsNoSessions(string output)
        {
            var fake = NewHost();
            fake.UsersOutput = output;
            var appliance = await OpenAsync(fake);
            Assert.Empty(await appliance.GetSessionsAsync(null, None));
        }

        [Fact]
        public async Task OutputThatIsNotJsonIsAFailure()
        {
            var fake = NewHost();
            fake.UsersOutput = "id  user  vhost  group\n";
            var appliance = await OpenAsync(fake);
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetSessionsAsync(null, None));
            Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
            Assert.Contains("not the JSON expected", error.Message);
        }

        [Fact]
        public async Task DisconnectingALiveSessionIsTrue()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var session = (await appliance.GetSessionsAsync("alice", None)).Single();
            fake.ClearCalls();
            Assert.True(await appliance.DisconnectSessionAsync(session, None));
            Assert.Equal(new[] { "occtl", "-s", OcservSamples.OcctlSocket, "--json", "show", "id", "4242" }, fake.Calls[0].Words);
            Assert.Equal(new[] { "occtl", "-s", OcservSamples.OcctlSocket, "disconnect", "id", "4242" }, fake.Calls[1].Words);
        }

        [Fact]
        public async Task DisconnectingAGoneSessionIsFalse()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var session = new VpnSession { SessionId = "99999", UserName = "alice", Appliance = fake.Host };
            Assert.False(await appliance.DisconnectSessionAsync(session, None));
            Assert.DoesNotContain(fake.Calls, c => c.Words.Contains("disconnect"));

            fake.ShowId = id => FakeOcservShell.Output(2, "user or ID not found\n", string.Empty);
            Assert.False(await appliance.DisconnectSessionAsync(session, None));
        }

        [Fact]
        public async Task ASessionThatEndedBetweenLookUpAndDisconnectIsFalse()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.DisconnectId = id => FakeOcservShell.Output(1, "could not disconnect ID '" + id + "'\n", string.Empty);
            Assert.False(await appliance.DisconnectSessionAsync(new VpnSession { SessionId = "4242", UserName = "alice" }, None));
        }

        [Fact]
        public async Task AReusedSessionIdOfAnotherUserIsNotDisconnected()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.ShowId = id => FakeOcservShell.Output(0, OcservSamples.OneUser(int.Parse(id, CultureInfo.InvariantCulture), "mallory"), string.Empty);
            Assert.False(await appliance.DisconnectSessionAsync(new VpnSession { SessionId = "4242", UserName = "alice" }, None));
            Assert.DoesNotContain(fake.Calls, c => c.Words.Contains("disconnect"));
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("42; reboot")]
        [InlineData("42\n")]
        [InlineData("")]
        [InlineData(null)]
        public async Task SessionIdsThatAreNotOcservsAreRefused(string id)
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.DisconnectSessionAsync(new VpnSession { SessionId = id }, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Empty(fake.Calls);
        }

        [Fact]
        public async Task ASessionOfAnotherApplianceIsRefused()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.DisconnectSessionAsync(new VpnSession { SessionId = "4242", Appliance = "other:22" }, None));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Empty(fake.Calls);
        }

        [Fact]
        public async Task DisconnectingWhileOcservIsDownIsUnreachable()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.Intercept = call => call.Program == "occtl" ? FakeOcservShell.Output(1, string.Empty, "error connecting to ocserv socket '/run/occtl.socket': No such file or directory\n") : null;
            var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.DisconnectSessionAsync(new VpnSession { SessionId = "4242" }, None));
            Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
        }

        // ---------------------------------------------------------------- capacity, cluster, export

        [Fact]
        public async Task CapacityIsActiveSessionsAgainstMaxClients()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var capacity = (await appliance.GetCapacityAsync(None)).Single();
            Assert.Equal("vpn1", capacity.Node);
            Assert.Equal(2, capacity.ActiveSessions);
            Assert.Equal(16, capacity.MaximumSessions);
            Assert.Equal("Configured", capacity.LimitSource);
            Assert.Equal(12.5, capacity.PercentUsed);
            Assert.Equal(14, capacity.LoginsRemaining);
            Assert.Equal(fake.Host, capacity.Appliance);
        }

        [Fact]
        public async Task WithoutMaxClientsCapacityIsUnlimited()
        {
            var fake = NewHost("auth = \"plain[passwd=/etc/ocserv/passwd]\"\nmax-clients = 0\n");
            fake.StatusOutput = OcservSamples.Status.Replace("\"Active sessions\":  2", "\"Active sessions\":  \"40\"");
            var appliance = await OpenAsync(fake);
            var capacity = (await appliance.GetCapacityAsync(None)).Single();
            Assert.Equal(40, capacity.ActiveSessions);
            Assert.Null(capacity.MaximumSessions);
            Assert.Null(capacity.PercentUsed);
            Assert.Null(capacity.LoginsRemaining);
        }

        [Fact]
        public async Task AFullServerHasNoLoginsLeft()
        {
            var fake = NewHost();
            fake.StatusOutput = OcservSamples.Status.Replace("\"Active sessions\":  2", "\"Active sessions\":  20");
            var appliance = await OpenAsync(fake);
            var capacity = (await appliance.GetCapacityAsync(None)).Single();
            Assert.Equal(125.0, capacity.PercentUsed);
            Assert.Equal(0, capacity.LoginsRemaining);
        }

        [Fact]
        public async Task TheClusterIsOneStandaloneNode()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var status = await appliance.GetClusterStatusAsync(None);
            Assert.False(status.ClusterEnabled);
            Assert.Equal("vpn1", status.Leader);
            Assert.Equal("vpn1", status.VipOwner);
            var node = status.Nodes.Single();
            Assert.Equal("Standalone", node.Role);
            Assert.True(node.OwnsVip);
            Assert.True(node.Reachable);
            Assert.Equal(new[] { "online" }, node.Status);

            fake.StatusOutput = OcservSamples.StatusOffline;
            fake.StatusExitCode = 1;
            Assert.False((await appliance.GetClusterStatusAsync(None)).Nodes.Single().Reachable);
        }

        [Fact]
        public async Task TheExportWithholdsHashes()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            var backup = await appliance.ExportConfigAsync(None);
            Assert.Equal("Ocserv", backup.Driver);
            Assert.Equal(fake.Host, backup.Appliance);
            Assert.Equal(new[] { "ocserv.conf", "status", "users" }, backup.Sections.Keys);
            Assert.Equal(OcservSamples.Config, backup.Sections["ocserv.conf"]);
            Assert.StartsWith("alice:staff,ops:(hash withheld)\nbob:*:!(hash withheld)\n", backup.Sections["users"]);
            Assert.All(backup.Sections.Values, text => Assert.DoesNotContain("$5$", text));
            Assert.Contains("\"Active sessions\": 2", backup.Sections["status"]);
            Assert.Contains("\n", backup.Sections["status"]);
        }

        [Fact]
        public async Task TheExportWorksWhileOcservIsDown()
        {
            var fake = NewHost();
            var appliance = await OpenAsync(fake);
            fake.StatusOutput = OcservSamples.StatusOffline;
            fake.StatusExitCode = 1;
            var backup = await appliance.ExportConfigAsync(None);
            Assert.Contains("offline", backup.Sections["status"]);
        }
    }
}
