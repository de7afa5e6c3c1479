using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;
using Xunit;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Tests.Vpn
{
    public sealed class VpnUserOperationsTests
    {
        private static SecureString Secret(string text)
        {
            var secret = new SecureString();
            foreach (char c in text)
            {
                secret.AppendChar(c);
            }

            return secret;
        }

        [Fact]
        public async Task CreatesAnAbsentUserAndChangesNothingTheSecondTime()
        {
            var appliance = new FakeAppliance();
            var request = new VpnUserRequest { UserName = "jo.bloggs", Password = Secret("pw-1"), Groups = new[] { "staff" } };
            var first = await VpnUserOperations.EnsureAsync(appliance, request, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Created, first.Outcome);
            var second = await VpnUserOperations.EnsureAsync(appliance, request, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.NoChange, second.Outcome);
            Assert.Equal(new[] { "create:jo.bloggs" }, appliance.Writes);
        }

        [Fact]
        public async Task APasswordTheApplianceCannotStoreIsRefusedBeforeAnyRequest()
        {
            var appliance = new FakeAppliance { PasswordRules = new VpnPasswordRules("Fake", 8, null, false) };
            var request = new VpnUserRequest { UserName = "jo.bloggs", Password = Secret("nine-byte"), Groups = new[] { "staff" } };
            var change = await VpnUserOperations.EnsureAsync(appliance, request, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.Equal(ApplianceErrorKind.InvalidRequest, change.ErrorKind);
            Assert.Contains("at most 8 bytes", change.Message);
            Assert.Equal(0, appliance.Finds);
            Assert.Empty(appliance.Writes);
        }

        [Fact]
        public async Task UpdatesOnlyWhatDiffers()
        {
            var appliance = new FakeAppliance();
            appliance.Users["ann"] = new VpnUser { UserName = "ann", Enabled = true, Groups = new[] { "staff" } };
            var change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "ann", Enabled = false, Groups = new[] { "staff" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Updated, change.Outcome);
            Assert.Equal(new[] { "disable:ann" }, appliance.Writes);
            Assert.Contains("disable (ends the user's sessions)", change.Changes);
        }

        [Fact]
        public async Task UpdateExistingNeverCreatesAMissingUserEvenWithAPassword()
        {
            var appliance = new FakeAppliance();
            var request = new VpnUserRequest { UserName = "nobody", Password = Secret("pw-1"), Enabled = true };
            var change = await VpnUserOperations.UpdateExistingAsync(appliance, request, true, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.Equal(ApplianceErrorKind.NotFound, change.ErrorKind);
            Assert.Contains("There is no user 'nobody' on fake.test", change.Message);
            Assert.Contains("New-RoVpnUser", change.Message);
            Assert.False(change.Created);
            Assert.Empty(appliance.Writes);
            Assert.Equal(1, appliance.Finds);
        }

        [Fact]
        public async Task UpdateExistingChangesAnExistingUserLikeEnsure()
        {
            var appliance = new FakeAppliance();
            appliance.Users["ann"] = new VpnUser { UserName = "ann", Enabled = true, Groups = new[] { "staff" } };
            var change = await VpnUserOperations.UpdateExistingAsync(appliance, new VpnUserRequest { UserName = "ann", Password = Secret("pw-2"), Enabled = false }, true, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Updated, change.Outcome);
            Assert.Equal(new[] { "disable:ann", "password:ann" }, appliance.Writes);
        }

        [Fact]
        public async Task AnUnknownGroupFailsBeforeAnythingIsWritten()
        {
            var appliance = new FakeAppliance();
            var change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "bo", Password = Secret("x"), Groups = new[] { "no-such-realm" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.Equal(ApplianceErrorKind.NotFound, change.ErrorKind);
            Assert.Contains("no-such-realm", change.Message);
            Assert.Empty(appliance.Writes);
            Assert.Equal(0, appliance.Finds);
        }

        [Fact]
        public async Task AHostileNameFailsBeforeTheApplianceIsAsked()
        {
            var appliance = new FakeAppliance();
            var change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "x;rm -rf /", Password = Secret("x") }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.Equal(ApplianceErrorKind.InvalidRequest, change.ErrorKind);
            Assert.Equal(0, appliance.Finds);
        }

        [Fact]
        public async Task CreatingWithoutAPasswordIsRefused()
        {
            var appliance = new FakeAppliance();
            var change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "nopw" }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.Contains("no password", change.Message);
            Assert.Empty(appliance.Writes);
        }

        [Fact]
        public async Task AnApplianceFailureBecomesAFailedResultWithItsKind()
        {
            var appliance = new FakeAppliance { FailCreate = new ApplianceException(ApplianceErrorKind.Busy, "busy", "later") };
            var change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "cy", Password = Secret("p") }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.Equal(ApplianceErrorKind.Busy, change.ErrorKind);
            Assert.Contains("later", change.Message);
        }

        [Fact]
        public async Task GroupsAreOnlyCheckedWhereTheApplianceHasNoUserGroups()
        {
            var appliance = new FakeAppliance();
            appliance.SupportsUserGroups = false;
            appliance.Users["dee"] = new VpnUser { UserName = "dee", Enabled = true };
            var change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "dee", Groups = new[] { "staff" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.NoChange, change.Outcome);
        }

        [Fact]
        public async Task AFailureAfterTheCreateStillReportsTheUserAsCreated()
        {
            var appliance = new FakeAppliance { FailDisable = new ApplianceException(ApplianceErrorKind.Busy, "busy") };
            var change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "fay", Password = Secret("p"), Enabled = false }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.True(change.Created);
            Assert.Equal(new[] { "create" }, change.Changes);
        }

        [Fact]
        public async Task AFailedGroupCheckIsAskedAgainForTheNextRow()
        {
            var appliance = new FakeAppliance { FailGroupChecks = 1 };
            var groups = new GroupCheck();
            var first = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "g1", Password = Secret("p"), Groups = new[] { "staff" } }, false, groups, CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, first.Outcome);
            var second = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "g2", Password = Secret("p"), Groups = new[] { "staff" } }, false, groups, CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Created, second.Outcome);
        }

        [Fact]
        public async Task RemovingAnAbsentUserIsNoChange()
        {
            var appliance = new FakeAppliance();
            Assert.Equal(VpnUserOutcome.NoChange, (await VpnUserOperations.RemoveAsync(appliance, "ghost", CancellationToken.None)).Outcome);
            appliance.Users["ghost"] = new VpnUser { UserName = "ghost", Enabled = true };
            Assert.Equal(VpnUserOutcome.Removed, (await VpnUserOperations.RemoveAsync(appliance, "ghost", CancellationToken.None)).Outcome);
            Assert.Equal(new[] { "remove:ghost" }, appliance.Writes);
        }

        [Fact]
        public void ThePlannerResetsThePasswordOnlyWhenAsked()
        {
            var existing = new VpnUser { UserName = "e", Enabled = true };
            Assert.Empty(VpnUserPlanner.Plan(existing, new VpnUserRequest { UserName = "e", Password = Secret("p") }, resetPassword: false));
            Assert.Equal(VpnUserStepKind.SetPassword, Assert.Single(VpnUserPlanner.Plan(existing, new VpnUserRequest { UserName = "e", Password = Secret("p") }, resetPassword: true)).Kind);
        }

        [Fact]
        public async Task ThePlanOfANewUserNamesTheCreateWithItsGroupsAndStateAndChangesNothing()
        {
            var appliance = new FakeAppliance();
            var plan = await VpnUserOperations.PlanEnsureAsync(appliance, new VpnUserRequest { UserName = "jsmith", Password = Secret("pw-1"), Groups = new[] { "staff" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.True(plan.ChangesSomething);
            Assert.Equal("jsmith@fake.test", plan.Target);
            Assert.Equal("Create VPN user (groups: staff; enabled)", plan.Operation);
            Assert.Empty(appliance.Writes);
            Assert.Equal(1, appliance.Finds);

            var planned = plan.Unapplied();
            Assert.Equal(VpnUserOutcome.Planned, planned.Outcome);
            Assert.Equal(new[] { "create" }, planned.Changes);
        }

        [Fact]
        public async Task ThePlanOfANewDisabledUserSaysDisabledOnce()
        {
            var appliance = new FakeAppliance();
            var plan = await VpnUserOperations.PlanEnsureAsync(appliance, new VpnUserRequest { UserName = "starter", Password = Secret("pw-1"), Groups = new[] { "staff", "vpn-admins" }, Enabled = false, ChangePasswordAtSignIn = true }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal("Create VPN user (groups: staff, vpn-admins; disabled; new password at first sign-in)", plan.Operation);
            Assert.Equal(new[] { VpnUserStepKind.Create, VpnUserStepKind.Disable }, plan.Steps.Select(s => s.Kind));
        }

        [Fact]
        public async Task ThePlanOfAUserWhoseGroupsDifferNamesOldAndNewGroups()
        {
            var appliance = new FakeAppliance();
            appliance.Users["jsmith"] = new VpnUser { UserName = "jsmith", Enabled = false, Groups = new[] { "staff" } };
            var plan = await VpnUserOperations.PlanUpdateExistingAsync(appliance, new VpnUserRequest { UserName = "jsmith", Enabled = true, Groups = new[] { "staff", "vpn-admins" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal("Enable VPN user; Set groups staff -> staff, vpn-admins", plan.Operation);
            Assert.Empty(appliance.Writes);
        }

        [Fact]
        public async Task ThePlanOfAUserAlreadyAsWantedSaysSoAndHasNoSteps()
        {
            var appliance = new FakeAppliance();
            appliance.Users["jsmith"] = new VpnUser { UserName = "jsmith", Enabled = true, Groups = new[] { "staff" } };
            var plan = await VpnUserOperations.PlanEnsureAsync(appliance, new VpnUserRequest { UserName = "jsmith", Password = Secret("pw-1"), Groups = new[] { "staff" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.False(plan.ChangesSomething);
            Assert.Equal("No change: VPN user already as wanted", plan.Operation);
            Assert.Equal(VpnUserOutcome.NoChange, plan.Unapplied().Outcome);
            Assert.Equal(VpnUserOutcome.NoChange, (await VpnUserOperations.ApplyAsync(appliance, plan, CancellationToken.None)).Outcome);
            Assert.Empty(appliance.Writes);
        }

        [Fact]
        public async Task ThePlanOfARemovalNamesTheUserAsItIsOrThatItIsGone()
        {
            var appliance = new FakeAppliance();
            appliance.Users["leaver"] = new VpnUser { UserName = "leaver", Enabled = true, Groups = new[] { "staff" } };
            var plan = await VpnUserOperations.PlanRemovalAsync(appliance, "leaver", CancellationToken.None);
            Assert.Equal("Remove VPN user (enabled; groups: staff) and end its sessions", plan.Operation);
            Assert.Empty(appliance.Writes);

            var gone = await VpnUserOperations.PlanRemovalAsync(appliance, "ghost", CancellationToken.None);
            Assert.False(gone.ChangesSomething);
            Assert.Equal("No change: VPN user already absent", gone.Operation);
        }

        [Fact]
        public async Task APlanThatCannotBeMadeIsARefusalThatApplyingDoesNotSend()
        {
            var appliance = new FakeAppliance();
            var plan = await VpnUserOperations.PlanEnsureAsync(appliance, new VpnUserRequest { UserName = "bo", Password = Secret("x"), Groups = new[] { "no-such-group" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.False(plan.ChangesSomething);
            Assert.Equal(ApplianceErrorKind.NotFound, plan.Refusal.ErrorKind);
            Assert.Same(plan.Refusal, await VpnUserOperations.ApplyAsync(appliance, plan, CancellationToken.None));
            Assert.Empty(appliance.Writes);
        }

        [Fact]
        public async Task NoPasswordAppearsInThePlanOrItsResults()
        {
            const string password = "Pl4n-S3cret-Value";
            var appliance = new FakeAppliance();
            appliance.Users["jsmith"] = new VpnUser { UserName = "jsmith", Enabled = true, Groups = new[] { "staff" } };
            var reset = await VpnUserOperations.PlanUpdateExistingAsync(appliance, new VpnUserRequest { UserName = "jsmith", Password = Secret(password), ChangePasswordAtSignIn = true }, true, new GroupCheck(), CancellationToken.None);
            var create = await VpnUserOperations.PlanEnsureAsync(appliance, new VpnUserRequest { UserName = "new.one", Password = Secret(password), Groups = new[] { "staff" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal("Reset password (new one at next sign-in)", reset.Operation);
            Assert.Equal("Create VPN user (groups: staff; enabled)", create.Operation);

            var texts = new List<string> { reset.Operation, create.Operation };
            foreach (var plan in new[] { reset, create })
            {
                texts.AddRange(plan.Steps.Select(s => s.Description + " " + s.Sentence));
                texts.AddRange(plan.Unapplied().Changes);
                var applied = await VpnUserOperations.ApplyAsync(appliance, plan, CancellationToken.None);
                texts.AddRange(applied.Changes);
                texts.Add(applied.Message ?? string.Empty);
            }

            Assert.All(texts, t => Assert.DoesNotContain(password, t));
        }

        [Fact]
        public async Task AppliedStepsAreReadBackAndListedInChanges()
        {
            var appliance = new FakeAppliance();
            appliance.Users["jsmith"] = new VpnUser { UserName = "jsmith", Enabled = false, Groups = new[] { "staff" } };
            var change = await VpnUserOperations.UpdateExistingAsync(appliance, new VpnUserRequest { UserName = "jsmith", Enabled = true, Groups = new[] { "staff", "vpn-admins" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Updated, change.Outcome);
            Assert.Equal(new[] { "enable", "groups: staff -> staff,vpn-admins" }, change.Changes);
            Assert.Equal(2, appliance.Finds);
        }

        [Fact]
        public async Task AGroupChangeTheApplianceDoesNotShowFailsNamingTheStepAndWhatItShows()
        {
            var appliance = new FakeAppliance { IgnoresGroups = true };
            appliance.Users["jsmith"] = new VpnUser { UserName = "jsmith", Enabled = false, Groups = new[] { "staff" } };
            var change = await VpnUserOperations.UpdateExistingAsync(appliance, new VpnUserRequest { UserName = "jsmith", Enabled = true, Groups = new[] { "staff", "vpn-admins" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.Equal(ApplianceErrorKind.Failed, change.ErrorKind);
            Assert.StartsWith("Step 'groups: staff -> staff,vpn-admins' was sent, but fake.test shows groups: staff.", change.Message);
            Assert.Equal(new[] { "enable" }, change.Changes);
        }

        [Fact]
        public async Task AnEnableTheApplianceDoesNotShowFails()
        {
            var appliance = new FakeAppliance { IgnoresEnable = true };
            appliance.Users["jsmith"] = new VpnUser { UserName = "jsmith", Enabled = false, Groups = new[] { "staff" } };
            var change = await VpnUserOperations.UpdateExistingAsync(appliance, new VpnUserRequest { UserName = "jsmith", Enabled = true }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.StartsWith("Step 'enable' was sent, but fake.test shows the user disabled.", change.Message);
            Assert.Empty(change.Changes);
        }

        [Fact]
        public async Task ACreateThatDidNotTakeIsNotReportedAsCreated()
        {
            var appliance = new FakeAppliance { IgnoresCreate = true };
            var change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "jsmith", Password = Secret("pw-1"), Groups = new[] { "staff" } }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.False(change.Created);
            Assert.StartsWith("Step 'create' was sent, but fake.test shows no user of that name.", change.Message);
        }

        [Fact]
        public async Task ARemovalTheApplianceDoesNotShowFails()
        {
            var appliance = new FakeAppliance { IgnoresRemove = true };
            appliance.Users["leaver"] = new VpnUser { UserName = "leaver", Enabled = true };
            var change = await VpnUserOperations.RemoveAsync(appliance, "leaver", CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.StartsWith("Step 'removed (sessions ended)' was sent, but fake.test shows the user still there.", change.Message);
        }

        [Fact]
        public async Task AReadBackThatFailsLeavesTheChangeUnconfirmedAndSaysSo()
        {
            var appliance = new FakeAppliance { FailFindsAfter = 1 };
            var change = await VpnUserOperations.EnsureAsync(appliance, new VpnUserRequest { UserName = "jsmith", Password = Secret("pw-1") }, false, new GroupCheck(), CancellationToken.None);
            Assert.Equal(VpnUserOutcome.Failed, change.Outcome);
            Assert.Equal(ApplianceErrorKind.Busy, change.ErrorKind);
            Assert.True(change.Created);
            Assert.Equal(new[] { "create" }, change.Changes);
            Assert.StartsWith("The changes to user 'jsmith' were sent, but reading the user back to confirm them failed: The appliance answered 503.", change.Message);
        }

        [Theory]
        [InlineData("jo.bloggs", true)]
        [InlineData("jo@corp.example", true)]
        [InlineData("a", true)]
        [InlineData("", false)]
        [InlineData("-leading", false)]
        [InlineData("has space", false)]
        [InlineData("semi;colon", false)]
        [InlineData("colon:x", false)]
        [InlineData("$(id)", false)]
        [InlineData("new\nline", false)]
        [InlineData("trailing\n", false)]
        public void UserNamesAreValidatedWithAMessageNamingTheValue(string name, bool valid)
        {
            Assert.Equal(valid, VpnUserName.IsValid(name));
            if (!valid)
            {
                var error = Assert.Throws<ArgumentException>(() => VpnUserName.Validate(name));
                Assert.Contains("not a valid VPN user name", error.Message);
                Assert.DoesNotContain("\n", error.Message);
            }
        }

        private sealed class FakeAppliance : IVpnAppliance
        {
            internal readonly ConcurrentDictionary<string, VpnUser> Users = new ConcurrentDictionary<string, VpnUser>(StringComparer.OrdinalIgnoreCase);
            internal readonly List<string> Writes = new List<string>();
            internal int Finds;
            internal Exception FailCreate;
            internal Exception FailDisable;
            internal int FailGroupChecks;
            internal readonly HashSet<string> Groups = new HashSet<string>(StringComparer.Ordinal) { "staff", "vpn-admins" };

            // Writes the appliance acknowledges but does not make, as reading back shows.
            internal bool IgnoresCreate;
            internal bool IgnoresEnable;
            internal bool IgnoresGroups;
            internal bool IgnoresRemove;

            // Fails every read after this many have answered.
            internal int? FailFindsAfter;

            public ApplianceInfo Info { get; } = new ApplianceInfo { Driver = "Fake", Address = "fake.test" };

            public ApplianceCapabilities Capabilities => ApplianceCapabilities.VpnUsers;

            public bool SupportsUserGroups { get; set; } = true;

            public VpnPasswordRules PasswordRules { get; set; }

            public Task<IReadOnlyList<VpnUser>> GetUsersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VpnUser>>(Users.Values.ToList());

            public Task<VpnUser> FindUserAsync(string userName, CancellationToken cancellationToken)
            {
                if (Interlocked.Increment(ref Finds) > FailFindsAfter)
                {
                    throw new ApplianceException(ApplianceErrorKind.Busy, "The appliance answered 503.", "Try again later.");
                }

                // A copy, as a real read is: a later write must not change what was read.
                return Task.FromResult(Users.TryGetValue(userName, out var user) ? new VpnUser { UserName = user.UserName, Enabled = user.Enabled, Groups = user.Groups.ToArray() } : null);
            }

            public Task<bool> GroupExistsAsync(string group, CancellationToken cancellationToken)
            {
                if (Interlocked.Decrement(ref FailGroupChecks) >= 0)
                {
                    throw new ApplianceException(ApplianceErrorKind.Busy, "busy");
                }

                return Task.FromResult(Groups.Contains(group));
            }

            public Task CreateUserAsync(VpnUserRequest request, CancellationToken cancellationToken)
            {
                if (FailCreate != null)
                {
                    throw FailCreate;
                }

                Writes.Add("create:" + request.UserName);
                if (IgnoresCreate)
                {
                    return Task.CompletedTask;
                }

                Users[request.UserName] = new VpnUser { UserName = request.UserName, Enabled = request.Enabled != false, Groups = request.Groups?.ToArray() ?? new string[0] };
                return Task.CompletedTask;
            }

            public Task SetUserEnabledAsync(string userName, bool enabled, CancellationToken cancellationToken)
            {
                if (FailDisable != null && !enabled)
                {
                    throw FailDisable;
                }

                Writes.Add((enabled ? "enable:" : "disable:") + userName);
                if (!(IgnoresEnable && enabled))
                {
                    Users[userName].Enabled = enabled;
                }

                return Task.CompletedTask;
            }

            public Task SetUserPasswordAsync(string userName, SecureString password, bool changeAtSignIn, CancellationToken cancellationToken)
            {
                Writes.Add("password:" + userName);
                return Task.CompletedTask;
            }

            public Task SetUserGroupsAsync(string userName, IReadOnlyList<string> groups, CancellationToken cancellationToken)
            {
                Writes.Add("groups:" + userName);
                if (!IgnoresGroups)
                {
                    Users[userName].Groups = groups.ToArray();
                }

                return Task.CompletedTask;
            }

            public Task RemoveUserAsync(string userName, CancellationToken cancellationToken)
            {
                Writes.Add("remove:" + userName);
                if (!IgnoresRemove)
                {
                    Users.TryRemove(userName, out _);
                }

                return Task.CompletedTask;
            }

            public Task<IReadOnlyList<VpnSession>> GetSessionsAsync(string userName, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task<bool> DisconnectSessionAsync(VpnSession session, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task<IReadOnlyList<VpnCapacity>> GetCapacityAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task<VpnClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task<ConfigBackup> ExportConfigAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

            public void Dispose()
            {
            }
        }
    }
}
