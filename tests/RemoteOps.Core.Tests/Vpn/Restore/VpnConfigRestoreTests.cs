using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Tests.Vpn.ConnectSecure;
using RemoteOps.Core.Vpn;
using Xunit;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Tests.Vpn.Restore
{
    public sealed class VpnConfigRestoreTests
    {
        private static readonly BackupUser[] Backup =
        {
            new BackupUser { UserName = "alice", Enabled = true, Groups = new[] { "staff" } },
            new BackupUser { UserName = "bob", Enabled = true, Groups = new[] { "staff", "vpn-eu" } },
            new BackupUser { UserName = "carol", Enabled = false, Groups = new string[0] },
        };

        [Fact]
        public async Task ThePlanShowsWhatIsCreatedChangedAndLeftAloneAndRemovesNothingWithoutPrune()
        {
            var appliance = new RestoreFakeAppliance().With("alice", true, "staff").With("bob", false, "staff").With("extra");

            Plan<BackupUser> plan = await VpnConfigRestore.PlanAsync(appliance, Backup, RestorePasswords.Given, prune: false, CancellationToken.None);
            string text = plan.ToText();

            Assert.Contains("~ bob: enabled: False -> True; groups: staff -> staff,vpn-eu", text);
            Assert.Contains("+ carol", text);
            Assert.DoesNotContain("alice", text);
            Assert.DoesNotContain("extra", text);
            Assert.EndsWith("1 to add, 1 to change, 0 to move, 0 to remove, 1 unchanged", text);
            Assert.Empty(appliance.Writes);
        }

        [Fact]
        public async Task WithPruneTheUsersTheBackupLacksArePlannedForRemoval()
        {
            var appliance = new RestoreFakeAppliance().With("alice", true, "staff").With("extra");

            Plan<BackupUser> plan = await VpnConfigRestore.PlanAsync(appliance, Backup, RestorePasswords.Given, prune: true, CancellationToken.None);

            Assert.Contains("- extra", plan.ToText());
        }

        [Fact]
        public async Task RestoresUsersVerifiesThemAndASecondRunChangesNothing()
        {
            var appliance = new RestoreFakeAppliance().With("alice", true, "staff").With("bob", false, "staff").With("extra");
            var plan = await VpnConfigRestore.PlanAsync(appliance, Backup, RestorePasswords.Given, prune: true, CancellationToken.None);

            var results = await VpnConfigRestore.ApplyAsync(appliance, plan, RestorePasswords.Given, Secrets.Secure("Giv3n-pass"), CancellationToken.None);

            Assert.Equal(new[] { "alice", "bob", "carol", "extra" }, results.Select(r => r.UserName));
            Assert.Equal(new[] { VpnUserOutcome.NoChange, VpnUserOutcome.Updated, VpnUserOutcome.Created, VpnUserOutcome.Removed }, results.Select(r => r.Outcome));
            Assert.All(results, r => Assert.True(r.Verified, r.UserName + ": " + r.Message));
            Assert.Equal("Giv3n-pass", appliance.CreatedWith["carol"]);
            Assert.False(appliance.Users["carol"].Enabled);
            Assert.Contains("password given by -Password", results[2].Message);
            Assert.False(results[2].NeedsPassword);
            Assert.True(appliance.Users["bob"].Enabled);
            Assert.Equal(new[] { "staff", "vpn-eu" }, appliance.Users["bob"].Groups);
            Assert.DoesNotContain("password:bob", appliance.Writes);

            var again = await VpnConfigRestore.PlanAsync(appliance, Backup, RestorePasswords.Given, prune: true, CancellationToken.None);
            Assert.True(again.IsEmpty);
        }

        [Fact]
        public async Task WithoutAPasswordMissingUsersAreCreatedDisabledAndSaySo()
        {
            var appliance = new RestoreFakeAppliance();
            var plan = await VpnConfigRestore.PlanAsync(appliance, Backup.Take(1).ToList(), RestorePasswords.None, prune: false, CancellationToken.None);

            var result = (await VpnConfigRestore.ApplyAsync(appliance, plan, RestorePasswords.None, null, CancellationToken.None)).Single();

            Assert.Equal(VpnUserOutcome.Created, result.Outcome);
            Assert.False(appliance.Users["alice"].Enabled);
            Assert.True(result.NeedsPassword);
            Assert.True(result.Verified);
            Assert.Null(result.InitialPassword);
            Assert.Contains("backup holds no passwords", result.Message);
            Assert.Contains("Set-RoVpnUser -Password", result.Message);
            Assert.Equal(20, appliance.CreatedWith["alice"].Length);
        }

        [Fact]
        public async Task GeneratedPasswordsAreReturnedAndDifferPerUser()
        {
            var appliance = new RestoreFakeAppliance();
            var plan = await VpnConfigRestore.PlanAsync(appliance, Backup.Take(2).ToList(), RestorePasswords.Generated, prune: false, CancellationToken.None);

            var results = await VpnConfigRestore.ApplyAsync(appliance, plan, RestorePasswords.Generated, null, CancellationToken.None);

            Assert.All(results, r => Assert.NotNull(r.InitialPassword));
            Assert.Equal(appliance.CreatedWith["alice"], RemoteOps.Core.Audit.SecretText.Reveal(results[0].InitialPassword));
            Assert.NotEqual(appliance.CreatedWith["alice"], appliance.CreatedWith["bob"]);
            Assert.True(appliance.Users["alice"].Enabled);
        }

        [Fact]
        public async Task AChangeThatDoesNotReadBackIsAFailureSayingWhatDiffers()
        {
            var appliance = new RestoreFakeAppliance { IgnoresEnable = "bob" }.With("bob", false, "staff", "vpn-eu");
            var plan = await VpnConfigRestore.PlanAsync(appliance, new[] { Backup[1] }, RestorePasswords.None, prune: false, CancellationToken.None);

            var result = (await VpnConfigRestore.ApplyAsync(appliance, plan, RestorePasswords.None, null, CancellationToken.None)).Single();

            Assert.Equal(VpnUserOutcome.Failed, result.Outcome);
            Assert.False(result.Verified);
            Assert.Equal(ApplianceErrorKind.Failed, result.ErrorKind);
            // The user operation reads the user back after its steps and names the one that did not take.
            Assert.Contains("Step 'enable' was sent, but fake.test shows the user disabled.", result.Message);
        }

        [Fact]
        public async Task AMissingGroupFailsThatUserOnlyAndAUserThatCannotBeCreatedIsNotCreated()
        {
            var appliance = new RestoreFakeAppliance();
            var users = new[]
            {
                new BackupUser { UserName = "dave", Groups = new[] { "no-such-group" } },
                new BackupUser { UserName = "ldap.person", CannotCreateBecause = "it signs in through ldap" },
                new BackupUser { UserName = "erin", Groups = new[] { "staff" } },
            };
            var plan = await VpnConfigRestore.PlanAsync(appliance, users, RestorePasswords.Given, prune: false, CancellationToken.None);

            var results = await VpnConfigRestore.ApplyAsync(appliance, plan, RestorePasswords.Given, Secrets.Secure("Giv3n-pass"), CancellationToken.None);

            Assert.Equal(ApplianceErrorKind.NotFound, results[0].ErrorKind);
            Assert.Equal(ApplianceErrorKind.NotSupported, results[1].ErrorKind);
            Assert.Contains("ldap", results[1].Message);
            Assert.Equal(VpnUserOutcome.Created, results[2].Outcome);
            Assert.Equal(new[] { "create:erin" }, appliance.Writes);
        }

        [Fact]
        public async Task ABackupListingAUserTwiceIsRefusedBeforeAnyChange()
        {
            var appliance = new RestoreFakeAppliance();
            var users = new[] { new BackupUser { UserName = "alice" }, new BackupUser { UserName = "ALICE" } };

            var error = await Assert.ThrowsAsync<ApplianceException>(() => VpnConfigRestore.PlanAsync(appliance, users, RestorePasswords.None, prune: false, CancellationToken.None));

            Assert.Contains("'alice'", error.Message);
        }

        [Fact]
        public async Task ConnectSecureUsersComeFromTheLocalUsersOfTheConnectionsAuthServer()
        {
            using (var appliance = await ScriptedConnectSecure.OpenAsync(ScriptedConnectSecure.Appliance()))
            {
                var backup = new RemoteOps.Core.Appliances.ConfigBackup { Driver = "ConnectSecure" };
                backup.Sections["authentication/auth-servers/System Local/local/users.json"] =
                    "{\"user\": [{\"username\": \"jo.bloggs\", \"fullname\": \"Jo Bloggs\", \"enabled\": \"true\", \"password-cleartext\": \"(withheld)\"},"
                    + " {\"username\": \"ann.other\", \"fullname\": \"Ann Other\", \"enabled\": \"false\"}]}";
                backup.Sections["authentication/auth-servers/Contractors/local/users.json"] = "{\"user\": [{\"username\": \"temp1\", \"enabled\": \"true\"}]}";

                var users = appliance.ReadUsers(backup);

                Assert.Equal(new[] { "jo.bloggs", "ann.other" }, users.Select(u => u.UserName));
                Assert.Equal(new[] { true, false }, users.Select(u => u.Enabled));
                Assert.Equal("Jo Bloggs", users[0].FullName);
                Assert.All(users, u => Assert.Empty(u.Groups));
            }
        }

        [Fact]
        public async Task AConnectSecureBackupWithoutTheAuthServersUsersIsRefusedNamingTheOnesItHas()
        {
            using (var appliance = await ScriptedConnectSecure.OpenAsync(ScriptedConnectSecure.Appliance()))
            {
                var backup = new RemoteOps.Core.Appliances.ConfigBackup { Driver = "ConnectSecure" };
                backup.Sections["authentication/auth-servers/Contractors/local/users.json"] = "{\"user\": []}";

                var error = Assert.Throws<ApplianceException>(() => appliance.ReadUsers(backup));

                Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
                Assert.Contains("'System Local'", error.Message);
                Assert.Contains("Contractors", error.Message);
            }
        }
        [Fact]
        public async Task OnAnApplianceThatComparesNamesExactlyTwoUsersDifferingInCaseAreTwoUsers()
        {
            var exact = new RestoreFakeAppliance();
            var users = new[] { new BackupUser { UserName = "alice", Groups = new[] { "staff" } }, new BackupUser { UserName = "Alice", Groups = new[] { "staff" } } };

            var plan = await VpnConfigRestore.PlanAsync(exact, users, RestorePasswords.Given, prune: false, CancellationToken.None, System.StringComparer.Ordinal);

            Assert.Equal(new[] { "alice", "Alice" }, plan.Changes.Select(s => s.Key));
            await Assert.ThrowsAsync<ApplianceException>(() => VpnConfigRestore.PlanAsync(exact, users, RestorePasswords.Given, prune: false, CancellationToken.None));
        }

        [Fact]
        public async Task AStoppedRestoreReturnsWhatItDidSoFarForTheAuditAndStopsThere()
        {
            using (var stop = new CancellationTokenSource())
            {
                var appliance = new RestoreFakeAppliance { AfterCreate = name => { if (name == "bob") { stop.Cancel(); } } };
                var plan = await VpnConfigRestore.PlanAsync(appliance, Backup, RestorePasswords.Given, prune: false, CancellationToken.None);

                var results = await VpnConfigRestore.ApplyAsync(appliance, plan, RestorePasswords.Given, Secrets.Secure("Giv3n-pass"), stop.Token);

                Assert.Equal(new[] { "alice", "bob" }, results.Select(r => r.UserName));
                Assert.Equal(VpnUserOutcome.Created, results[0].Outcome);
                Assert.Equal(ApplianceErrorKind.Cancelled, results[1].ErrorKind);
                Assert.All(results, r => Assert.False(r.Verified));
                Assert.False(appliance.Users.ContainsKey("carol"));
            }
        }
    }
}
