using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.ConnectSecure;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureAccessTests
    {
        private const string RealmPath = "/api/v1/configuration/users/user-realms/realm/Users";

        private static JObject Rule(string name, string[] userNames, string[] roles, bool stop = false, string test = "is") => new JObject
        {
            ["name"] = name,
            ["user-name"] = new JObject { ["test"] = test, ["user-names"] = new JArray(userNames) },
            ["roles"] = new JArray(roles),
            ["stop"] = stop ? "true" : "false",
        };

        private static JObject Realm(string authServer, params JObject[] rules) => new JObject
        {
            ["name"] = "Users",
            ["authentication-server"] = authServer,
            ["role-mapping-rules"] = new JObject { ["rule"] = new JArray(rules.Cast<object>().ToArray()) },
        };

        private static async Task<VpnAccessMapping> MappingOf(JObject realm, string userName = "jsmith", int status = 200)
        {
            var handler = Appliance().On(Get, RealmPath, status == 200 ? Answers.Json(200, realm) : Answers.Json(status, "{}"));
            using (var appliance = await OpenAsync(handler))
            {
                VpnAccessRules rules = await appliance.ReadAccessRulesAsync(CancellationToken.None);
                Assert.Equal("user realm 'Users'", rules.Source);
                Assert.Single(handler.RequestsTo(Get, RealmPath));
                return rules.MappingFor(new VpnUser { UserName = userName, Enabled = true });
            }
        }

        [Fact]
        public async Task ARuleOnEveryUserGivesItsRoles()
        {
            VpnAccessMapping mapping = await MappingOf(Realm("System Local", Rule("default", new[] { "*" }, new[] { "Users", "VPN" })));

            Assert.True(mapping.GrantsAccess);
            Assert.Equal(new[] { "Users", "VPN" }, mapping.Grants);
            Assert.Contains("rule(s) 'default' map jsmith to the role(s) 'Users', 'VPN'", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task NoRuleForTheUserDeniesAndNamesTheRules()
        {
            VpnAccessMapping mapping = await MappingOf(Realm("System Local", Rule("staff", new[] { "alice", "bob" }, new[] { "Users" }), Rule("not-jsmith", new[] { "JSMITH" }, new[] { "VPN" }, test: "is not")));

            Assert.False(mapping.GrantsAccess);
            Assert.Empty(mapping.Grants);
            Assert.Equal("none of its 2 role-mapping rule(s) ('staff', 'not-jsmith') maps jsmith to a role.", mapping.Explanation);
        }

        [Fact]
        public async Task AMatchingRuleThatStopsEndsTheEvaluation()
        {
            VpnAccessMapping mapping = await MappingOf(Realm("System Local",
                Rule("contractors", new[] { "j*" }, new[] { "Contractors" }, stop: true),
                Rule("default", new[] { "*" }, new[] { "Users" })));

            Assert.Equal(new[] { "Contractors" }, mapping.Grants);
        }

        [Fact]
        public async Task ARealmOnAnotherAuthServerGivesTheUserNothing()
        {
            VpnAccessMapping mapping = await MappingOf(Realm("Contractor Local", Rule("default", new[] { "*" }, new[] { "Users" })));

            Assert.False(mapping.GrantsAccess);
            Assert.Contains("'Contractor Local', but jsmith is a user of 'System Local'", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task ARealmThatIsNotThereIsNotBlamedOnTheUserButNamesTheSetting()
        {
            // Most likely the connection names the wrong realm: every user would seem to be refused.
            VpnAccessMapping mapping = await MappingOf(null, status: 404);

            Assert.Null(mapping.GrantsAccess);
            Assert.Contains("SignInRealm", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task RulesOnDirectoryGroupsAreReportedAsNotEvaluated()
        {
            var group = new JObject { ["name"] = "ldap-vpn", ["group"] = new JObject { ["groups"] = new JArray("vpn-users") }, ["roles"] = new JArray("Users") };
            VpnAccessMapping mapping = await MappingOf(Realm("System Local", group));

            Assert.Null(mapping.GrantsAccess);
            Assert.Contains("'ldap-vpn' test directory groups", mapping.Explanation, StringComparison.Ordinal);
        }

        [Fact]
        public async Task TheChangeAtSignInFlagIsReportedAndExpiryIsLeftUnknown()
        {
            JObject flagged = User("jsmith");
            flagged["change-password-at-signin"] = "true";
            var handler = Appliance().On(Get, UserPath("jsmith"), Answers.Json(200, flagged)).On(Get, UserPath("alice"), Answers.Json(200, User("alice")));
            using (var appliance = await OpenAsync(handler))
            {
                VpnUser jsmith = await appliance.FindUserAsync("jsmith", CancellationToken.None);
                VpnUser alice = await appliance.FindUserAsync("alice", CancellationToken.None);

                Assert.True(jsmith.MustChangePassword);
                Assert.False(alice.MustChangePassword);
                Assert.Null(jsmith.PasswordExpired);
            }
        }
    }
}
