using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.Nftables;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public class NftablesFirewallTests
    {
        private const string Missing = "Error: No such file or directory\nlist table inet remoteops\n                ^^^^^^^^^\n";

        [Fact]
        public async Task ATableThatDoesNotExistYetIsAnEmptyPolicy()
        {
            var shell = new FakeNftShell();
            using (NftablesFirewall firewall = await NftablesFirewall.OpenAsync(shell, new NftablesOptions(), CancellationToken.None))
            {
                FirewallPolicy policy = await firewall.GetPolicyAsync(CancellationToken.None);

                Assert.Empty(policy.Rules);
                Assert.Equal("fw1", firewall.Info.Name);
                Assert.Equal("nftables v1.0.6 (Lester Gooch #5)", firewall.Info.Version);
                Assert.Equal("nftables table inet remoteops", firewall.PolicyScope);
            }
        }

        [Fact]
        public async Task ChecksThenLoadsTheWholeTableOnStandardInputThenASecondRunSendsNothing()
        {
            var shell = new FakeNftShell();
            using (NftablesFirewall firewall = await NftablesFirewall.OpenAsync(shell, new NftablesOptions(), CancellationToken.None))
            {
                var operations = new FirewallPolicyOperations(firewall);
                var (desired, plan) = await operations.PlanAsync(FirewallSamples.Policy(), CancellationToken.None);
                string backup = null;
                FirewallPolicyResult result = await operations.ApplyAsync(desired, plan, text => { backup = text; return "saved"; }, CancellationToken.None);

                Assert.Equal(FirewallPolicyOutcome.Updated, result.Outcome);
                Assert.Equal(9, result.Added);
                Assert.Equal("saved", result.BackupPath);
                Assert.Equal(string.Empty, backup);
                List<(string Command, string Input)> writes = shell.Calls.Where(c => c.Input != null).ToList();
                Assert.Equal(new[] { "nft -c -f -", "nft -f -" }, writes.Select(c => c.Command));
                Assert.All(writes, w => Assert.Equal(NftablesSamples.Rendered, w.Input));

                var (again, second) = await operations.PlanAsync(FirewallSamples.Policy(), CancellationToken.None);
                FirewallPolicyResult unchanged = await operations.ApplyAsync(again, second, null, CancellationToken.None);
                Assert.Equal(FirewallPolicyOutcome.NoChange, unchanged.Outcome);
                Assert.Equal(9, unchanged.Unchanged);
                Assert.Equal(2, shell.Calls.Count(c => c.Input != null));
            }
        }

        [Fact]
        public async Task ABadRuleIsRefusedBeforeAnythingIsRead()
        {
            var shell = new FakeNftShell();
            using (NftablesFirewall firewall = await NftablesFirewall.OpenAsync(shell, new NftablesOptions(), CancellationToken.None))
            {
                int before = shell.Calls.Count;
                FirewallPolicy policy = FirewallSamples.Policy();
                policy.Rules[1].Ports.Add("70000");

                var error = await Assert.ThrowsAsync<ArgumentException>(() => new FirewallPolicyOperations(firewall).PlanAsync(policy, CancellationToken.None));

                Assert.Contains("'web-in'", error.Message);
                Assert.Equal(before, shell.Calls.Count);
            }
        }

        [Fact]
        public async Task ARefusedCheckLoadsNothingAndQuotesTheLine()
        {
            var shell = new FakeNftShell
            {
                Check = new SshCommandOutput(1, string.Empty, "/dev/stdin:5:3-9: Error: Could not process rule: File exists\n", false),
            };
            using (NftablesFirewall firewall = await NftablesFirewall.OpenAsync(shell, new NftablesOptions(), CancellationToken.None))
            {
                var error = await Assert.ThrowsAsync<ApplianceException>(() => firewall.ReplacePolicyAsync(FirewallPolicyValidator.Normalize(FirewallSamples.Policy()), CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
                Assert.Contains("[line 5: set clients {]", error.Message);
                Assert.Contains("nothing was changed", error.Message);
                Assert.DoesNotContain(shell.Calls, c => c.Command == "nft -f -");
            }
        }

        [Fact]
        public async Task AReadBackThatDiffersIsAFailure()
        {
            var shell = new FakeNftShell { LoadTakesEffect = false };
            using (NftablesFirewall firewall = await NftablesFirewall.OpenAsync(shell, new NftablesOptions(), CancellationToken.None))
            {
                var operations = new FirewallPolicyOperations(firewall);
                var (desired, plan) = await operations.PlanAsync(FirewallSamples.Policy(), CancellationToken.None);

                var error = await Assert.ThrowsAsync<ApplianceException>(() => operations.ApplyAsync(desired, plan, null, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.Failed, error.Kind);
                Assert.Contains("reading nftables table inet remoteops back shows something else", error.Message);
            }
        }

        [Fact]
        public async Task RefusedSudoIsAnAuthenticationFailure()
        {
            var shell = new FakeNftShell { ListTables = new SshCommandOutput(1, string.Empty, "sudo: a password is required\n", false) };

            var error = await Assert.ThrowsAsync<ApplianceException>(() => NftablesFirewall.OpenAsync(shell, new NftablesOptions(), CancellationToken.None));

            Assert.Equal(ApplianceErrorKind.AuthenticationFailed, error.Kind);
            Assert.Contains("sudo", error.Remedy);
        }

        [Fact]
        public async Task ABadTableSettingIsRefusedBeforeConnecting()
        {
            var shell = new FakeNftShell();
            await Assert.ThrowsAsync<ArgumentException>(() => NftablesFirewall.OpenAsync(shell, new NftablesOptions { TableName = "x; flush ruleset" }, CancellationToken.None));
            Assert.Empty(shell.Calls);
        }

        /// <summary>A host with nft 1.0.6 whose table is missing until the recorded script is loaded.</summary>
        private sealed class FakeNftShell : IRemoteShell
        {
            private bool loaded;

            public string Host => "admin@fw1.lab.test:22";

            public List<(string Command, string Input)> Calls { get; } = new List<(string Command, string Input)>();

            public SshCommandOutput Check { get; set; } = new SshCommandOutput(0, string.Empty, string.Empty, false);

            public SshCommandOutput ListTables { get; set; } = new SshCommandOutput(0, "{\"nftables\": []}", string.Empty, false);

            public bool LoadTakesEffect { get; set; } = true;

            public Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, CancellationToken cancellationToken)
            {
                Calls.Add((commandLine, standardInput));
                switch (commandLine)
                {
                    case "nft --version": return Done(0, "nftables v1.0.6 (Lester Gooch #5)\n");
                    case "nft -j list tables": return Task.FromResult(ListTables);
                    case "uname -n": return Done(0, "fw1\n");
                    case "nft -c -f -": return Task.FromResult(Check);
                    case "nft -f -":
                        loaded = LoadTakesEffect && standardInput == NftablesSamples.Rendered;
                        return Done(0, string.Empty);
                    case "nft -j list table inet remoteops":
                        return loaded ? Done(0, NftablesSamples.ListedClean) : Task.FromResult(new SshCommandOutput(1, string.Empty, Missing, false));
                    case "nft list table inet remoteops":
                        return loaded ? Done(0, "table inet remoteops {}\n") : Task.FromResult(new SshCommandOutput(1, string.Empty, Missing, false));
                    default: return Done(127, string.Empty);
                }
            }

            public Task<SshCommandOutput> RunPrivilegedAsync(IReadOnlyList<string> command, string standardInput, CancellationToken cancellationToken) =>
                RunAsync(string.Join(" ", command), standardInput, cancellationToken);

            public void Dispose()
            {
            }

            private static Task<SshCommandOutput> Done(int code, string output) => Task.FromResult(new SshCommandOutput(code, output, string.Empty, false));
        }
    }
}
