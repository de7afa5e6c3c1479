using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Diagnostics.Checks;
using RemoteOps.Core.Vpn;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    public sealed class VpnAccessCheckTests
    {
        private static readonly VpnUser Jsmith = new VpnUser { UserName = "jsmith", Enabled = true, Groups = new string[0] };

        private static async Task<RemoteAccessCheckResult> Run(VpnAccessMapping answer, bool groups = true)
        {
            var vpn = new FakeVpnAccounts(Jsmith, new FixedAccessRules(answer), groups);
            return await new VpnAccessCheck(new VpnUserLookup(vpn), vpn).RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);
        }

        [Fact]
        public async Task NoRuleGivingAccessFailsWithTheRulesAndWhatToAdd()
        {
            RemoteAccessCheckResult result = await Run(VpnAccessMapping.Denied("none of its 1 role-mapping rule(s) maps jsmith to a role."), groups: false);

            Assert.Equal(RemoteAccessCheckStatus.Failed, result.Status);
            Assert.Equal(RemoteAccessCause.NoAccessMapping, result.Cause);
            Assert.Equal("realm 'Users': none of its 1 role-mapping rule(s) maps jsmith to a role.", result.Evidence);
            Assert.Contains("add a role-mapping rule to realm 'Users'", result.NextStep, StringComparison.Ordinal);
        }

        [Fact(Timeout = 30000)]
        public async Task AChecksStopDoesNotCancelTheUserReadAnotherCheckWaitsFor()
        {
            var gate = new TaskCompletionSource<bool>();
            var vpn = new FakeVpnAccounts(Jsmith) { UserReadGate = gate.Task };
            var lookup = new VpnUserLookup(vpn);
            using (var first = new CancellationTokenSource())
            {
                Task<VpnUser> stopped = lookup.FindAsync("jsmith", first.Token);
                Task<VpnUser> waiting = lookup.FindAsync("jsmith", CancellationToken.None);
                first.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);

                gate.SetResult(true);
                Assert.Equal("jsmith", (await waiting).UserName);
                Assert.Equal(1, vpn.UserReads);
            }
        }

        [Fact]
        public async Task NoRuleOnAGroupApplianceNamesTheGroupCommandKeepingTheUsersGroups()
        {
            RemoteAccessCheckResult result = await Run(VpnAccessMapping.Denied("no rule."));
            Assert.Contains("Set-RoVpnUser -UserName jsmith -Group <group of the rule and policy>", result.NextStep, StringComparison.Ordinal);

            // -Group replaces the whole list: the step names the groups the user is in already.
            var member = new VpnUser { UserName = "jsmith", Enabled = true, Groups = new[] { "printers", "O'Brien team" } };
            var vpn = new FakeVpnAccounts(member, new FixedAccessRules(VpnAccessMapping.Denied("no rule.")), true);
            result = await new VpnAccessCheck(new VpnUserLookup(vpn), vpn).RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);
            Assert.Contains("Set-RoVpnUser -UserName jsmith -Group 'printers', 'O''Brien team', <group of the rule and policy>", result.NextStep, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ARuleGivingAccessPasses()
        {
            RemoteAccessCheckResult result = await Run(VpnAccessMapping.Granted(new[] { "Users" }, "rule 'default' maps jsmith to 'Users'."));

            Assert.Equal(RemoteAccessCheckStatus.Passed, result.Status);
            Assert.Equal(RemoteAccessCause.None, result.Cause);
        }

        [Fact]
        public async Task RulesThatCannotBeEvaluatedAreNeverReportedAsPassed()
        {
            RemoteAccessCheckResult result = await Run(VpnAccessMapping.Unknown("rule 'ldap' tests directory groups."));

            Assert.Equal(RemoteAccessCheckStatus.CouldNotRun, result.Status);
            Assert.Equal(RemoteAccessCause.None, result.Cause);
        }

        [Fact]
        public async Task TheAccountAndAccessChecksReadTheUserOnce()
        {
            var vpn = new FakeVpnAccounts(Jsmith, new FixedAccessRules(VpnAccessMapping.Granted(new[] { "Users" }, "ok")));
            var lookup = new VpnUserLookup(vpn);
            var request = new RemoteAccessRequest("jsmith");

            await Task.WhenAll(new VpnAccountCheck(lookup).RunAsync(request, CancellationToken.None), new VpnAccessCheck(lookup, vpn).RunAsync(request, CancellationToken.None));

            Assert.Equal(1, vpn.UserReads);
            Assert.Equal(1, vpn.RuleReads);
        }

        [Fact]
        public async Task AMissingUserIsLeftToTheAccountCheck()
        {
            var vpn = new FakeVpnAccounts(null, new FixedAccessRules(VpnAccessMapping.Denied("x")));

            RemoteAccessCheckResult result = await new VpnAccessCheck(new VpnUserLookup(vpn), vpn).RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);

            Assert.Equal(RemoteAccessCheckStatus.NotAvailable, result.Status);
        }
    }
}
