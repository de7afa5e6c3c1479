using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances.Planning;
using Xunit;

namespace RemoteOps.Core.Tests.Appliances
{
    public sealed class DesiredStatePlannerTests
    {
        [Fact]
        public void PlansAddsChangesAndUnchangedItemsInTheDesiredOrder()
        {
            var plan = Planner().Plan(
                new[] { Rule("ssh", "22"), Rule("web", "80") },
                new[] { Rule("web", "443"), Rule("dns", "53"), Rule("ssh", "22") });

            Assert.Equal(new[] { "web", "dns", "ssh" }, plan.Steps.Select(s => s.Key));
            Assert.Equal(new[] { PlanAction.Change, PlanAction.Add, PlanAction.Unchanged }, plan.Steps.Select(s => s.Action));
            Assert.Equal("~ web: port: 80 -> 443", plan.Steps[0].Description);
            Assert.Equal("+ dns", plan.Steps[1].Description);
        }

        [Fact]
        public void RemovesOnlyItemsItOwns()
        {
            var planner = Planner();
            planner.Owns = r => r.Name.StartsWith("ro-", StringComparison.Ordinal);

            var plan = planner.Plan(new[] { Rule("ro-old", "1"), Rule("manual", "2") }, new FirewallRuleStub[0]);

            Assert.Equal(PlanAction.Remove, Assert.Single(plan.Steps).Action);
            Assert.Equal("ro-old", plan.Steps[0].Key);
            Assert.Empty(Planner().Plan(new[] { Rule("ro-old", "1") }, new FirewallRuleStub[0]).Steps);
        }

        [Fact]
        public void PlanningTheDesiredStateAgainstItselfChangesNothing()
        {
            var desired = Enumerable.Range(1, 50).Select(i => Rule("r" + i, i.ToString(CultureInfo.InvariantCulture))).ToList();
            var planner = Planner();
            planner.Ordered = true;

            var plan = planner.Plan(desired, desired);

            Assert.True(plan.IsEmpty);
            Assert.Equal("0 to add, 0 to change, 0 to move, 0 to remove, 50 unchanged", plan.Summary);
        }

        [Fact]
        public void OrderedPlansMoveTheFewestItems()
        {
            var planner = Planner();
            planner.Ordered = true;
            var current = new[] { "a", "b", "c", "d", "e" }.Select(n => Rule(n, "1"));

            var plan = planner.Plan(current, new[] { "e", "a", "b", "c", "d" }.Select(n => Rule(n, "1")));

            Assert.Equal(new[] { "e" }, plan.Changes.Select(s => s.Key));
            Assert.Equal(PlanAction.Move, plan.Changes[0].Action);
            Assert.Equal("> e (moved)", plan.Changes[0].Description);
        }

        [Fact]
        public void AMovedItemThatAlsoChangesSaysBoth()
        {
            var planner = Planner();
            planner.Ordered = true;

            var plan = planner.Plan(new[] { Rule("a", "1"), Rule("b", "2") }, new[] { Rule("b", "3"), Rule("a", "1") });

            PlanStep<FirewallRuleStub> changed = plan.Changes.Single(s => s.Action == PlanAction.Change);
            Assert.True(changed.Moved || plan.Changes.Any(s => s.Action == PlanAction.Move));
            Assert.Equal(1, plan.Changes.Count(s => s.Moved));
        }

        [Fact]
        public void UnorderedPlansIgnorePositions()
        {
            var plan = Planner().Plan(new[] { Rule("a", "1"), Rule("b", "1") }, new[] { Rule("b", "1"), Rule("a", "1") });

            Assert.True(plan.IsEmpty);
        }

        [Fact]
        public void ANameDesiredTwiceIsRefusedNamingItAndBothPositions()
        {
            var error = Assert.Throws<ArgumentException>(() => Planner().Plan(new FirewallRuleStub[0], new[] { Rule("web", "80"), Rule("dns", "53"), Rule("web", "443") }));

            Assert.Contains("'web' appears twice in the desired state (items 1 and 3)", error.Message);
        }

        [Fact]
        public void TheTextListsEachChangeThenTheSummary()
        {
            var planner = Planner();
            planner.Owns = r => true;
            var plan = planner.Plan(new[] { Rule("old", "1"), Rule("web", "80") }, new[] { Rule("web", "443"), Rule("new", "22") });

            Assert.Equal(
                "~ web: port: 80 -> 443" + Environment.NewLine + "+ new" + Environment.NewLine + "- old" + Environment.NewLine + "1 to add, 1 to change, 0 to move, 1 to remove, 0 unchanged",
                plan.ToText());
        }

        [Fact]
        public async Task AppliesChangingStepsInOrderAndReportsEach()
        {
            var planner = Planner();
            planner.Owns = r => true;
            var plan = planner.Plan(new[] { Rule("old", "1"), Rule("same", "1") }, new[] { Rule("same", "1"), Rule("new", "2") });
            var applied = new List<string>();
            var reported = new List<string>();

            var results = await PlanRunner.ApplyAsync(plan, (step, token) => { applied.Add(step.Key); return Task.CompletedTask; }, null,
                r => reported.Add(r.Step.Key + ":" + r.Status), CancellationToken.None);

            Assert.Equal(new[] { "new", "old" }, applied);
            Assert.Equal(new[] { "new:Applied", "old:Applied" }, reported);
            Assert.All(results, r => Assert.Equal(StepStatus.Applied, r.Status));
        }

        [Fact]
        public async Task StopsAtTheFirstFailureAndReportsTheRestAsNotRun()
        {
            var plan = Planner().Plan(new FirewallRuleStub[0], new[] { Rule("a", "1"), Rule("b", "1"), Rule("c", "1") });

            var results = await PlanRunner.ApplyAsync(plan,
                (step, token) => step.Key == "b" ? throw new InvalidOperationException("refused") : Task.CompletedTask,
                null, null, CancellationToken.None);

            Assert.Equal(new[] { StepStatus.Applied, StepStatus.Failed, StepStatus.NotRun }, results.Select(r => r.Status));
            Assert.Equal("refused", results[1].Error.Message);
        }

        [Fact]
        public async Task AStepThatDoesNotReadBackStopsTheRun()
        {
            var plan = Planner().Plan(new FirewallRuleStub[0], new[] { Rule("a", "1"), Rule("b", "1") });

            var results = await PlanRunner.ApplyAsync(plan, (s, t) => Task.CompletedTask, (step, token) => Task.FromResult(step.Key != "a"), null, CancellationToken.None);

            Assert.Equal(new[] { StepStatus.NotVerified, StepStatus.NotRun }, results.Select(r => r.Status));
            Assert.Contains("'a' was sent, but reading it back shows something else", results[0].Error.Message);
        }

        [Fact]
        public async Task AStoppedRunSendsNothingMore()
        {
            var plan = Planner().Plan(new FirewallRuleStub[0], new[] { Rule("a", "1"), Rule("b", "1") });
            using (var stop = new CancellationTokenSource())
            {
                int sent = 0;
                var results = await PlanRunner.ApplyAsync(plan, (s, t) => { sent++; stop.Cancel(); return Task.CompletedTask; }, null, null, stop.Token);

                Assert.Equal(1, sent);
                Assert.Equal(StepStatus.NotRun, results[1].Status);
            }
        }

        [Fact]
        public void PlansTwoThousandOrderedRulesWithOneChangeAndOneMove()
        {
            var current = Enumerable.Range(0, 2000).Select(i => Rule("rule" + i, i.ToString(CultureInfo.InvariantCulture))).ToList();
            var desired = current.ToList();
            desired[10] = Rule("rule10", "changed");
            var last = desired[1999];
            desired.RemoveAt(1999);
            desired.Insert(0, last);
            var planner = Planner();
            planner.Ordered = true;

            var plan = planner.Plan(current, desired);

            Assert.Equal(new[] { "rule1999", "rule10" }, plan.Changes.Select(s => s.Key));
            Assert.Equal(PlanAction.Move, plan.Changes[0].Action);
            Assert.Equal(PlanAction.Change, plan.Changes[1].Action);
        }

        private static DesiredStatePlanner<FirewallRuleStub> Planner() => new DesiredStatePlanner<FirewallRuleStub>(
            r => r.Name,
            (a, b) => a.Port == b.Port ? new PropertyChange[0] : new[] { new PropertyChange("port", a.Port, b.Port) });

        private static FirewallRuleStub Rule(string name, string port) => new FirewallRuleStub { Name = name, Port = port };

        private sealed class FirewallRuleStub
        {
            public string Name { get; set; }

            public string Port { get; set; }
        }
    }
}
