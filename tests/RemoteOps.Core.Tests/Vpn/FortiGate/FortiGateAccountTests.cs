using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;
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
        private const string FirewallPoliciesPath = "/api/v2/cmdb/firewall/policy";
        private const string PolicyFieldsQuery = "?format=policyid%7Cname%7Csrcintf%7Cusers%7Cgroups%7Caction%7Cstatus";

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

        private static Task<VpnAccessMapping> MappingOf(JObject settings, params string[] groups) =>
            MappingOf(settings, new JArray(Policy(1, "sslvpn-staff", "SSLVPN_Users")), groups);

        private static async Task<VpnAccessMapping> MappingOf(JObject settings, JArray policies, params string[] groups)
        {
            var handler = Appliance()
                .On(Get, SettingsPath, Answers.Json(200, Envelope(settings)))
                .On(Get, FirewallPoliciesPath + PolicyFieldsQuery, Answers.Json(200, Envelope(policies)));
            using (var appliance = await OpenAsync(handler))
            {
                VpnAccessRules rules = await appliance.ReadAccessRulesAsync(CancellationToken.None);
                Assert.Single(handler.RequestsTo(Get, SettingsPath));
                Assert.Single(handler.RequestsTo(Get, FirewallPoliciesPath));
                Assert.Empty(handler.Unrouted);
                return rules.MappingFor(new VpnUser { UserName = "jsmith", Enabled = true, Groups = groups });
            }
        }

        private static JObject Policy(int id, string name, string group, string user = null, string from = "ssl.root", string action = "accept", string status = "enable") => new JObject
        {
            ["policyid"] = id,
            ["name"] = name,
            ["srcintf"] = new JArray(new JObject { ["name"] = from }),
            ["groups"] = group == null ? new JArray() : new JArray(new JObject { ["name"] = group }),
            ["users"] = user == null ? new JArray() : new JArray(new JObject { ["name"] = user }),
            ["action"] = action,
            ["status"] = status,
        };

        private static JObject DefaultPortalOnly() => new JObject { ["authentication-rule"] = new JArray(), ["default-portal"] = "full-access" };

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
            Assert.Contains("firewall policy 1 ('sslvpn-staff') from ssl.root allows the group 'SSLVPN_Users'", mapping.Explanation, StringComparison.Ordinal);
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

            VpnAccessMapping mapping = await MappingOf(settings, "SSLVPN_Users");

            Assert.True(mapping.GrantsAccess);
            Assert.Equal(new[] { "web-access" }, mapping.Grants);
        }

        [Fact]
        public async Task APortalWithoutAPolicyFromSslRootForTheUserIsRefused()
        {
            var policies = new JArray(
                Policy(1, "lan-staff", "SSLVPN_Users", from: "port1"),
                Policy(2, "staff-off", "SSLVPN_Users", status: "disable"),
                Policy(3, "staff-deny", "SSLVPN_Users", action: "deny"),
                Policy(4, "admins", "Admins"));

            VpnAccessMapping mapping = await MappingOf(DefaultPortalOnly(), policies, "SSLVPN_Users");

            Assert.False(mapping.GrantsAccess);
            Assert.Contains("the default portal 'full-access' applies, but none of the 3 firewall policy(ies) from ssl.root (2 ('staff-off'), 3 ('staff-deny'), 4 ('admins')) is an enabled accept policy that allows jsmith or one of its groups", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task NoPolicyFromSslRootAtAllIsSaid()
        {
            VpnAccessMapping mapping = await MappingOf(DefaultPortalOnly(), new JArray(Policy(1, "lan-staff", "SSLVPN_Users", from: "port1")), "SSLVPN_Users");

            Assert.False(mapping.GrantsAccess);
            Assert.Contains("there is no firewall policy from ssl.root", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task APolicyNamingTheUserAllowsIt()
        {
            VpnAccessMapping mapping = await MappingOf(DefaultPortalOnly(), new JArray(Policy(7, string.Empty, null, user: "JSMITH")));

            Assert.True(mapping.GrantsAccess);
            Assert.Contains("firewall policy 7 from ssl.root allows jsmith", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task APolicyNamingNoUsersOrGroupsAllowsEveryUser()
        {
            VpnAccessMapping mapping = await MappingOf(DefaultPortalOnly(), new JArray(Policy(4, "admins", "Admins"), Policy(9, "any-vpn", null)), "Printers");

            Assert.True(mapping.GrantsAccess);
            Assert.Contains("firewall policy 9 ('any-vpn') from ssl.root allows every SSL-VPN user", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task PoliciesTheProfileMayNotReadLeaveThePortalAndSaySo()
        {
            var handler = Appliance()
                .On(Get, SettingsPath, Answers.Json(200, Envelope(DefaultPortalOnly())))
                .On(Get, FirewallPoliciesPath + PolicyFieldsQuery, Answers.Json(403, ErrorEnvelope(403, -37)));
            using (var appliance = await OpenAsync(handler))
            {
                VpnAccessRules rules = await appliance.ReadAccessRulesAsync(CancellationToken.None);
                VpnAccessMapping mapping = rules.MappingFor(new VpnUser { UserName = "jsmith", Enabled = true, Groups = new string[0] });

                Assert.True(mapping.GrantsAccess);
                Assert.Contains("could not be read (HTTP 403", mapping.Explanation, StringComparison.Ordinal);
            }
        }

        [Fact]
        public async Task TheDiagnosisBudgetAlsoLimitsThePolicyRead()
        {
            var handler = Appliance()
                .On(Get, SettingsPath, Answers.Json(200, Envelope(DefaultPortalOnly())))
                .On(Get, FirewallPoliciesPath + PolicyFieldsQuery, Answers.Json(503, "{}"), Answers.Json(200, Envelope(new JArray(Policy(1, "any-vpn", null)))));
            using (var appliance = await OpenAsync(handler))
            {
                using (RestCallBudget.Limit(1, TimeSpan.FromSeconds(5)))
                {
                    await Assert.ThrowsAsync<ApplianceException>(() => appliance.ReadAccessRulesAsync(CancellationToken.None));
                }

                Assert.Single(handler.RequestsTo(Get, FirewallPoliciesPath));
            }
        }
    }
}
