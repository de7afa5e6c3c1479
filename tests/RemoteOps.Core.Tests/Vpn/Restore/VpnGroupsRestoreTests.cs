using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.FortiGate;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn.Restore
{
    public sealed class VpnGroupsRestoreTests
    {
        private static readonly BackupGroup[] Backup =
        {
            new BackupGroup { Name = "staff" },
            new BackupGroup { Name = "vpn-eu" },
            new BackupGroup { Name = "fsso-sales", CannotCreateBecause = "it is a fsso-service group" },
        };

        [Fact]
        public async Task ThePlanAddsOnlyTheMissingGroupsAndNeverRemovesOne()
        {
            var appliance = new GroupStore("staff", "extra");

            Plan<BackupGroup> plan = await VpnGroupsRestore.PlanAsync(appliance, Backup, CancellationToken.None);

            Assert.Equal(new[] { "vpn-eu", "fsso-sales" }, plan.Changes.Select(s => s.Key));
            Assert.All(plan.Changes, s => Assert.Equal(PlanAction.Add, s.Action));
            Assert.DoesNotContain("extra", plan.ToText());
            Assert.Empty(appliance.Created);
        }

        [Fact]
        public async Task CreatesTheMissingGroupsVerifiesThemAndReportsTheOnesItCannotMake()
        {
            var appliance = new GroupStore("staff");
            Plan<BackupGroup> plan = await VpnGroupsRestore.PlanAsync(appliance, Backup, CancellationToken.None);

            IReadOnlyList<VpnGroupRestore> results = await VpnGroupsRestore.ApplyAsync(appliance, "fgt.example", plan, CancellationToken.None);

            Assert.Equal(new[] { "vpn-eu" }, appliance.Created);
            Assert.Equal(new[] { "vpn-eu", "fsso-sales" }, results.Select(r => r.GroupName));
            Assert.Equal(new[] { VpnUserOutcome.Created, VpnUserOutcome.Failed }, results.Select(r => r.Outcome));
            Assert.True(results[0].Verified);
            Assert.False(results[1].Verified);
            Assert.Equal(ApplianceErrorKind.NotSupported, results[1].ErrorKind);
            Assert.Contains("fsso-service", results[1].Message);
            Assert.True((await VpnGroupsRestore.PlanAsync(appliance, Backup.Take(2).ToList(), CancellationToken.None)).IsEmpty);
        }

        [Fact]
        public async Task AGroupThatDoesNotShowUpAfterCreationFailsVerification()
        {
            var appliance = new GroupStore("staff") { ForgetCreated = true };
            Plan<BackupGroup> plan = await VpnGroupsRestore.PlanAsync(appliance, Backup.Take(2).ToList(), CancellationToken.None);

            IReadOnlyList<VpnGroupRestore> results = await VpnGroupsRestore.ApplyAsync(appliance, "fgt.example", plan, CancellationToken.None);

            Assert.Equal("vpn-eu", Assert.Single(results).GroupName);
            Assert.Equal(VpnUserOutcome.Failed, results[0].Outcome);
            Assert.False(results[0].Verified);
            Assert.Contains("not there", results[0].Message);
        }

        [Fact]
        public async Task ACreateTheApplianceRefusesIsAFailedResultAndTheRestGoOn()
        {
            var appliance = new GroupStore() { Refuse = "staff" };
            Plan<BackupGroup> plan = await VpnGroupsRestore.PlanAsync(appliance, Backup.Take(2).ToList(), CancellationToken.None);

            IReadOnlyList<VpnGroupRestore> results = await VpnGroupsRestore.ApplyAsync(appliance, "fgt.example", plan, CancellationToken.None);

            Assert.Equal(VpnUserOutcome.Failed, results[0].Outcome);
            Assert.Equal(ApplianceErrorKind.AlreadyExists, results[0].ErrorKind);
            Assert.Equal(VpnUserOutcome.Created, results[1].Outcome);
        }

        [Fact]
        public void AFortiGateBackupGivesItsGroupsAndOnlyFirewallGroupsCanBeCreated()
        {
            var backup = new ConfigBackup { Driver = "FortiGate" };
            backup.Sections["fortigate.conf"] = string.Join("\n",
                "config user group",
                "    edit \"SSLVPN_Users\"",
                "        set member \"bob\"",
                "    next",
                "    edit \"fsso\"",
                "        set group-type fsso-service",
                "    next",
                "    edit \"Guest-group\"",
                "        set group-type guest",
                "    next",
                "end");

            IReadOnlyList<BackupGroup> groups = FortiGateBackupUsers.ReadGroups(backup);

            Assert.Equal(new[] { "SSLVPN_Users", "fsso", "Guest-group" }, groups.Select(g => g.Name));
            Assert.Null(groups[0].CannotCreateBecause);
            Assert.Contains("fsso-service", groups[1].CannotCreateBecause);
            Assert.Contains("guest", groups[2].CannotCreateBecause);
        }

        private sealed class GroupStore : IVpnBackupGroups
        {
            private readonly List<string> names;

            internal GroupStore(params string[] names)
            {
                this.names = names.ToList();
            }

            internal List<string> Created { get; } = new List<string>();

            internal bool ForgetCreated { get; set; }

            internal string Refuse { get; set; }

            public IReadOnlyList<BackupGroup> ReadGroups(ConfigBackup backup) => throw new NotSupportedException();

            public Task<IReadOnlyList<string>> GetGroupNamesAsync(CancellationToken cancellationToken)
                => Task.FromResult<IReadOnlyList<string>>(names.ToList());

            public Task CreateGroupAsync(BackupGroup group, CancellationToken cancellationToken)
            {
                if (group.Name == Refuse)
                {
                    throw new ApplianceException(ApplianceErrorKind.AlreadyExists, $"Group '{group.Name}' was refused.");
                }

                Created.Add(group.Name);
                if (!ForgetCreated)
                {
                    names.Add(group.Name);
                }

                return Task.CompletedTask;
            }
        }
    }
}
