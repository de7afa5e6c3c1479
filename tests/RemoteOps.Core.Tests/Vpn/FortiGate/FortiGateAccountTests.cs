using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.FortiGate.ScriptedFortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    public sealed class FortiGateAccountTests
    {
        private const string PolicyPath = "/api/v2/cmdb/user/password-policy/vpn90";
        private const string SettingsPath = "/api/v2/cmdb/vpn.ssl/settings";

        private static JObject WithPolicy(string changed, string policy = "vpn90")
        {
            JObject user = User("jsmith");
            user["passwd-policy"] = policy;
            user["passwd-time"] = changed;
            return user;
        }

        private static string DaysAgo(int days) => DateTime.UtcNow.AddDays(-days).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        private static async Task<VpnUser> Find(JObject user, JObject policy)
        {
            var handler = Appliance()
                .On(Get, UserPath("jsmith"), Answers.Json(200, Envelope(new JArray(user))))
                .On(Get, GroupsPath, Answers.Json(200, Envelope(new JArray(Group("SSLVPN_Users", "jsmith")))));
            if (policy != null)
            {
                handler.On(Get, PolicyPath, Answers.Json(200, Envelope(new JArray(policy))));
            }

            using (var appliance = await OpenAsync(handler))
            {
                VpnUser found = await appliance.FindUserAsync("jsmith", CancellationToken.None);
                Assert.Empty(handler.Unrouted);
                return found;
            }
        }

        [Fact]
        public async Task APasswordOlderThanItsPolicyAllowsHasExpired()
        {
            VpnUser user = await Find(WithPolicy(DaysAgo(100)), new JObject { ["name"] = "vpn90", ["expire-days"] = 90, ["expire-status"] = "enable" });

            Assert.True(user.PasswordExpired);
            Assert.InRange(user.PasswordExpires.Value, DateTimeOffset.UtcNow.AddDays(-11), DateTimeOffset.UtcNow.AddDays(-9));
            Assert.Null(user.MustChangePassword);
            Assert.Equal(new[] { "SSLVPN_Users" }, user.Groups);
        }

        [Fact]
        public async Task AYoungerPasswordIsValidUntilItsDay()
        {
            VpnUser user = await Find(WithPolicy(DaysAgo(10)), new JObject { ["name"] = "vpn90", ["expire-days"] = 90 });

            Assert.False(user.PasswordExpired);
            Assert.NotNull(user.PasswordExpires);
        }

        [Fact]
        public async Task APolicyWithExpiryDisabledNeverExpires()
        {
            VpnUser user = await Find(WithPolicy(DaysAgo(1000)), new JObject { ["name"] = "vpn90", ["expire-days"] = 90, ["expire-status"] = "disable" });

            Assert.False(user.PasswordExpired);
        }

        [Fact]
        public async Task AUserWithoutAPolicyNeverExpiresAndNoPolicyIsRead()
        {
            VpnUser user = await Find(User("jsmith"), null);

            Assert.False(user.PasswordExpired);
        }

        [Fact]
        public async Task APasswordNeverStampedLeavesExpiryUnknown()
        {
            VpnUser user = await Find(WithPolicy("0000-00-00 00:00:00"), new JObject { ["name"] = "vpn90", ["expire-days"] = 90 });

            Assert.Null(user.PasswordExpired);
        }

        private static async Task<VpnAccessMapping> MappingOf(JObject settings, params string[] groups)
        {
            var handler = Appliance().On(Get, SettingsPath, Answers.Json(200, Envelope(settings)));
            using (var appliance = await OpenAsync(handler))
            {
                VpnAccessRules rules = await appliance.ReadAccessRulesAsync(CancellationToken.None);
                Assert.Single(handler.RequestsTo(Get, SettingsPath));
                return rules.MappingFor(new VpnUser { UserName = "jsmith", Enabled = true, Groups = groups });
            }
        }

        private static JObject Rule(int id, string group, string portal) => new JObject
        {
            ["id"] = id,
            ["groups"] = new JArray(new JObject { ["name"] = group }),
            ["users"] = new JArray(),
            ["portal"] = portal,
        };

        [Fact]
        public async Task TheRuleOfOneOfTheUsersGroupsGivesItsPortal()
        {
            var settings = new JObject { ["authentication-rule"] = new JArray(Rule(1, "Admins", "full-access"), Rule(2, "SSLVPN_Users", "tunnel-access")), ["default-portal"] = "" };

            VpnAccessMapping mapping = await MappingOf(settings, "SSLVPN_Users");

            Assert.True(mapping.GrantsAccess);
            Assert.Equal(new[] { "tunnel-access" }, mapping.Grants);
            Assert.Contains("authentication rule 2 names the group 'SSLVPN_Users'", mapping.Explanation, StringComparison.Ordinal);
            Assert.Contains("firewall policies from ssl.root", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AUserInNoRuleAndNoDefaultPortalGetsNoPortal()
        {
            var settings = new JObject { ["authentication-rule"] = new JArray(Rule(1, "SSLVPN_Users", "tunnel-access")), ["default-portal"] = "" };

            VpnAccessMapping mapping = await MappingOf(settings, "Printers");

            Assert.False(mapping.GrantsAccess);
            Assert.Contains("none of the 1 authentication rule(s) names the user or one of its groups (jsmith is in the group(s) 'Printers')", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task AUserInNoRuleGetsTheDefaultPortalWhereThereIsOne()
        {
            var settings = new JObject { ["authentication-rule"] = new JArray(), ["default-portal"] = "web-access" };

            VpnAccessMapping mapping = await MappingOf(settings);

            Assert.True(mapping.GrantsAccess);
            Assert.Equal(new[] { "web-access" }, mapping.Grants);
        }
    }
}
