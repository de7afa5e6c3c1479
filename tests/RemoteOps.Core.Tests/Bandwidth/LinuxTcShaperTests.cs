using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Bandwidth;
using RemoteOps.Core.Bandwidth.LinuxTc;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Bandwidth
{
    public class LinuxTcShaperTests
    {
        private static readonly LinuxTcOptions Eth1 = new LinuxTcOptions { Interface = new[] { "eth1" } };

        [Fact]
        public async Task NothingShapedYetIsAnEmptyStateWithAnUnshapedLink()
        {
            var shell = new FakeTcShell();
            using (LinuxTcShaper shaper = await LinuxTcShaper.OpenAsync(shell, Eth1, CancellationToken.None))
            {
                BandwidthState state = await shaper.GetStateAsync(CancellationToken.None);

                Assert.Empty(state.Classes);
                BandwidthLink link = Assert.Single(state.Links);
                Assert.Equal("eth1", link.Interface);
                Assert.Null(link.Rate);
                Assert.Equal("noqueue 0:", link.Root);
                Assert.Equal("gw1", shaper.Info.Name);
                Assert.Equal("tc HTB on eth1 and nftables table inet remoteops_shaping", shaper.PolicyScope);
            }
        }

        [Fact]
        public async Task ChecksThenBuildsTheTreeThenLoadsTheTableThenASecondRunSendsNothing()
        {
            var shell = new FakeTcShell();
            using (LinuxTcShaper shaper = await LinuxTcShaper.OpenAsync(shell, Eth1, CancellationToken.None))
            {
                var operations = new BandwidthPolicyOperations(shaper);
                var (desired, current, plan) = await operations.PlanAsync(Sample(), CancellationToken.None);
                BandwidthPolicyResult result = await operations.ApplyAsync(desired, current, plan, CancellationToken.None);

                Assert.Equal(BandwidthPolicyOutcome.Updated, result.Outcome);
                Assert.Equal(4, result.Added);
                Assert.Contains("link ~ eth1: LinkRate: (none) -> 50Mbit", result.Changes);
                List<(string Command, string Input)> writes = shell.Calls.Where(c => c.Input != null).ToList();
                Assert.Equal(new[] { "nft -c -f -", "tc -batch -", "nft -f -" }, writes.Select(c => c.Command));
                Assert.Equal(LinuxTcSamples.Script, writes[0].Input);
                Assert.Equal(LinuxTcSamples.Batch, writes[1].Input);

                var (again, now, second) = await operations.PlanAsync(Sample(), CancellationToken.None);
                BandwidthPolicyResult unchanged = await operations.ApplyAsync(again, now, second, CancellationToken.None);
                Assert.Equal(BandwidthPolicyOutcome.NoChange, unchanged.Outcome);
                Assert.Equal(4, unchanged.Unchanged);
                Assert.Equal(3, shell.Calls.Count(c => c.Input != null));
            }
        }

        [Fact]
        public async Task ReadsTheClassesBackWithTheirCountersInMatchOrder()
        {
            var shell = new FakeTcShell();
            using (LinuxTcShaper shaper = await LinuxTcShaper.OpenAsync(shell, Eth1, CancellationToken.None))
            {
                var operations = new BandwidthPolicyOperations(shaper);
                var (desired, current, plan) = await operations.PlanAsync(Sample(), CancellationToken.None);
                await operations.ApplyAsync(desired, current, plan, CancellationToken.None);

                BandwidthState state = await shaper.GetStateAsync(CancellationToken.None);

                Assert.Equal("50Mbit", Assert.Single(state.Links).Rate);
                Assert.Equal(new[] { "vpn", "video", "updates", "other" }, state.Classes.Select(c => c.Name));
                BandwidthClass video = state.Classes[1];
                Assert.Equal("1:11", video.ClassId);
                Assert.Equal("10Mbit", video.GuaranteedRate);
                Assert.Equal("30Mbit", video.CeilingRate);
                Assert.Equal(2, video.Priority);
                Assert.Equal(new[] { "5", "af41", "ef" }, video.Dscp);
                Assert.Equal("ops@gw1.lab.test:22", video.Appliance);
                Assert.Equal("eth1", video.Interface);
                BandwidthClass other = state.Classes[3];
                Assert.True(other.Default);
                Assert.Equal("1:2", other.ClassId);
                Assert.Equal("1500Kbit", other.GuaranteedRate);
                Assert.Equal(86, other.Bytes);
                Assert.Equal(1, other.Packets);
                Assert.Equal(0, other.CurrentRate);
            }
        }

        [Fact]
        public async Task ARuleAddedByHandIsShownAsUnmanagedAndTheNextChangeRemovesIt()
        {
            const string byHand = "{\"rule\": {\"family\": \"inet\", \"table\": \"remoteops_shaping\", \"chain\": \"postrouting\", \"handle\": 12, \"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 22}}, {\"counter\": {\"packets\": 0, \"bytes\": 0}}]}}";
            var shell = new FakeTcShell();
            string table = LinuxTcSamples.TableAfter.TrimEnd();
            shell.Table = table.Substring(0, table.Length - 2) + ", " + byHand + "]}";
            using (LinuxTcShaper shaper = await LinuxTcShaper.OpenAsync(shell, Eth1, CancellationToken.None))
            {
                var operations = new BandwidthPolicyOperations(shaper);
                var (desired, current, _) = await operations.PlanAsync(Sample(), CancellationToken.None);
                await shaper.ApplyAsync(desired, current, CancellationToken.None);

                var (_, after, again) = await operations.PlanAsync(Sample(), CancellationToken.None);

                Assert.Equal("unmanaged-rule-12", after.Classes.Last().Name);
                Assert.Equal(new[] { "- unmanaged-rule-12 on eth1" }, again.Classes.Changes.Select(s => s.Description));
            }
        }

        [Fact]
        public async Task ABadPolicyIsRefusedBeforeAnythingIsRead()
        {
            var shell = new FakeTcShell();
            using (LinuxTcShaper shaper = await LinuxTcShaper.OpenAsync(shell, Eth1, CancellationToken.None))
            {
                int before = shell.Calls.Count;
                BandwidthPolicy policy = Sample();
                policy.Classes[0].GuaranteedRate = "45mbit";

                var error = await Assert.ThrowsAsync<ArgumentException>(() => new BandwidthPolicyOperations(shaper).PlanAsync(policy, CancellationToken.None));

                Assert.Contains("vpn 45Mbit", error.Message);
                Assert.Contains("LinkRate 50Mbit", error.Message);
                Assert.Equal(before, shell.Calls.Count);
            }
        }

        [Fact]
        public async Task ARefusedCheckChangesNothingAndQuotesTheLine()
        {
            var shell = new FakeTcShell
            {
                CheckAnswer = new SshCommandOutput(1, string.Empty, "/dev/stdin:7:3-10: Error: Interface does not exist\n", false),
            };
            using (LinuxTcShaper shaper = await LinuxTcShaper.OpenAsync(shell, Eth1, CancellationToken.None))
            {
                var operations = new BandwidthPolicyOperations(shaper);
                var (desired, current, plan) = await operations.PlanAsync(Sample(), CancellationToken.None);

                var error = await Assert.ThrowsAsync<ApplianceException>(() => operations.ApplyAsync(desired, current, plan, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
                Assert.Contains("nothing was changed", error.Message);
                Assert.Contains("comment \"vpn\"", error.Message);
                Assert.Equal(new[] { "nft -c -f -" }, shell.Calls.Where(c => c.Input != null).Select(c => c.Command));
            }
        }

        [Fact]
        public async Task ARefusedBatchStopsBeforeTheClassificationAndQuotesTheFailingLine()
        {
            var shell = new FakeTcShell { BatchAnswer = new SshCommandOutput(1, string.Empty, LinuxTcSamples.BatchRefused, false) };
            using (LinuxTcShaper shaper = await LinuxTcShaper.OpenAsync(shell, Eth1, CancellationToken.None))
            {
                var operations = new BandwidthPolicyOperations(shaper);
                var (desired, current, plan) = await operations.PlanAsync(Sample(), CancellationToken.None);

                var error = await Assert.ThrowsAsync<ApplianceException>(() => operations.ApplyAsync(desired, current, plan, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
                Assert.Contains("[line 2: class replace dev eth1 parent 1: classid 1:1", error.Message);
                Assert.Contains("Illegal \"ceil\"", error.Message);
                Assert.DoesNotContain(shell.Calls, c => c.Command == "nft -f -");
            }
        }

        [Fact]
        public async Task AMissingInterfaceIsNotFoundWhenConnecting()
        {
            var shell = new FakeTcShell();

            var error = await Assert.ThrowsAsync<ApplianceException>(() => LinuxTcShaper.OpenAsync(shell, new LinuxTcOptions { Interface = new[] { "eth9" } }, CancellationToken.None));

            Assert.Equal(ApplianceErrorKind.NotFound, error.Kind);
            Assert.Contains("eth9", error.Message);
        }

        [Theory]
        [InlineData(null, "needs the interfaces")]
        [InlineData("-eth1", "'-eth1' is not a valid Linux interface name")]
        [InlineData("eth1;reboot", "'eth1;reboot'")]
        [InlineData("a-very-long-interface", "'a-very-long-interface'")]
        public async Task BadInterfaceSettingsAreRefusedBeforeAnythingIsSent(string name, string expected)
        {
            var shell = new FakeTcShell();

            var error = await Assert.ThrowsAsync<ArgumentException>(() => LinuxTcShaper.OpenAsync(shell, new LinuxTcOptions { Interface = name == null ? null : new[] { name } }, CancellationToken.None));

            Assert.Contains(expected, error.Message);
            Assert.Empty(shell.Calls);
        }

        [Fact]
        public void ClassesKeepTheirIdsAndNewOnesTakeAnUnusedOne()
        {
            BandwidthPolicy desired = BandwidthPolicyValidator.Normalize(Sample());
            desired.Classes.Insert(0, new BandwidthClass { Name = "new", GuaranteedRate = "1Mbit", CeilingRate = "1Mbit", Ports = new List<string>() });
            var current = new BandwidthState
            {
                Classes =
                {
                    new BandwidthClass { Name = "video", ClassId = "1:10", Interface = "eth1" },
                    new BandwidthClass { Name = "gone", ClassId = "1:11", Interface = "eth1" },
                    new BandwidthClass { Name = "other", ClassId = "1:2", Interface = "eth1", Default = true },
                },
            };

            IReadOnlyDictionary<string, string> ids = LinuxTcShaper.AssignClassIds(desired, current);

            Assert.Equal("1:10", ids["video"]);
            Assert.Equal("1:2", ids["other"]);
            Assert.Equal("1:12", ids["new"]);
            Assert.Equal("1:13", ids["vpn"]);
            Assert.Equal("1:14", ids["updates"]);
        }

        [Fact]
        public void RemovingAllShapingDeletesTheTableAndOnlyARootThatIsRemoteOps()
        {
            string script = ShapingRuleset.Render(new BandwidthPolicy(), new Dictionary<string, string>(), new[] { "eth1" }, "remoteops_shaping");

            Assert.EndsWith("table inet remoteops_shaping\ndelete table inet remoteops_shaping\n", script);
            Assert.DoesNotContain("chain", script);
            Assert.Equal("qdisc del dev eth1 root\n", TcBatch.RemoveRoot("eth1"));
        }

        [Fact]
        public void AForeignRootIsDeletedFirstAndNoqueueIsNot()
        {
            BandwidthPolicy policy = BandwidthPolicyValidator.Normalize(Sample());
            IReadOnlyDictionary<string, string> ids = LinuxTcShaper.AssignClassIds(policy, new BandwidthState());

            Assert.StartsWith("qdisc del dev eth1 root\nqdisc add dev eth1 root handle 1: htb default 2\n", TcBatch.Update("eth1", "htb 1: default 0x30", policy, ids));
            Assert.StartsWith("qdisc add dev eth1 root handle 1: htb default 2\n", TcBatch.Update("eth1", "noqueue 0:", policy, ids));
            Assert.StartsWith("class replace dev eth1 parent 1: classid 1:1 ", TcBatch.Update("eth1", TcBatch.OwnRoot, policy, ids));
        }

        internal static BandwidthPolicy Sample() => BandwidthPolicyFile.Parse(LinuxTcSamples.PolicyJson, "sample.json");
    }
}
