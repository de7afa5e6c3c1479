using System.Linq;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Bandwidth;
using RemoteOps.Core.Bandwidth.LinuxTc;
using Xunit;

namespace RemoteOps.Core.Tests.Bandwidth
{
    public class BandwidthPolicyPlannerTests
    {
        [Fact]
        public void TheRecordedTableAndTreeReadBackAsTheDesiredPolicy()
        {
            BandwidthPolicy desired = BandwidthPolicyValidator.Normalize(LinuxTcShaperTests.Sample());
            var rules = ShapingRuleset.Parse(LinuxTcSamples.TableAfter, "remoteops_shaping");

            Assert.Equal(new[] { "1:10", "1:11", "1:12", "1:2" }, rules.Select(r => r.ClassId));
            Assert.All(rules, r => Assert.Equal(new[] { "eth1" }, r.Interfaces));
            Assert.All(rules.Zip(desired.Classes, (read, wanted) => (read, wanted)), pair =>
            {
                Assert.Equal(pair.wanted.Name, pair.read.Class.Name);
                Assert.Equal(pair.wanted.Default, pair.read.Class.Default);
                pair.read.Class.GuaranteedRate = pair.wanted.GuaranteedRate;
                pair.read.Class.CeilingRate = pair.wanted.CeilingRate;
                pair.read.Class.Priority = pair.wanted.Priority;
                Assert.Empty(BandwidthPolicyPlanner.CompareClasses(pair.read.Class, pair.wanted));
            });
        }

        [Fact]
        public void PlansPerInterfaceWithMovesChangesAndRemovals()
        {
            BandwidthPolicy desired = BandwidthPolicyValidator.Normalize(LinuxTcShaperTests.Sample());
            var current = new BandwidthState();
            current.Links.Add(new BandwidthLink { Interface = "eth1", Rate = "50Mbit" });
            foreach (string name in new[] { "video", "vpn", "updates", "other" })
            {
                BandwidthClass item = desired.Classes.First(c => c.Name == name).Clone();
                item.Interface = "eth1";
                current.Classes.Add(item);
            }

            current.Classes[2].CeilingRate = "20Mbit";
            current.Classes.Add(new BandwidthClass { Name = "unmanaged-1:99", Interface = "eth1", ClassId = "1:99" });

            BandwidthPlan plan = BandwidthPolicyPlanner.Plan(current, desired, new[] { "eth1", "eth2" });

            Assert.Equal(new[] { "+ eth2" }, plan.Links.Changes.Select(s => s.Description));
            Assert.Equal(new[] { "~ updates on eth1: CeilingRate: 20Mbit -> 10Mbit" }, plan.Classes.Steps.Where(s => s.Action == PlanAction.Change).Select(s => s.Description));
            Assert.Equal(new[] { "vpn on eth2", "video on eth2", "updates on eth2", "other on eth2" }, plan.Classes.Steps.Where(s => s.Action == PlanAction.Add).Select(s => s.Key));
            Assert.Single(plan.Classes.Steps, s => s.Action == PlanAction.Move);
            Assert.Contains(plan.Classes.Steps, s => s.Action == PlanAction.Remove && s.Key == "unmanaged-1:99 on eth1");
        }
    }
}
