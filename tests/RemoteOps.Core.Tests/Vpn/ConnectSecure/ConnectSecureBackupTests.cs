using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.ConnectSecure.ScriptedConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    public sealed class ConnectSecureBackupTests
    {
        private const string AuthServers = "/api/v1/configuration/authentication/auth-servers";

        private static ScriptedHttpHandler Tree() => Appliance()
            .On(Get, "/api/v1/configuration", Answers.Json(200, JObject.Parse("{\"users\":{\"href\":\"/api/v1/configuration/users\"},\"authentication\":{\"href\":\"/api/v1/configuration/authentication\"}}")))
            .On(Get, AuthServers, Answers.Json(200, JObject.Parse(
                "{\"auth-server\":[{\"name\":\"System Local\",\"type\":\"local\"},{\"name\":\"Corp RADIUS\",\"type\":\"radius\",\"radius\":{\"shared-secret\":\"Rad1us-S3cret\"}}]}")))
            .On(Get, UsersPath, Answers.Json(200, JObject.Parse(
                "{\"user\":[{\"username\":\"jo\",\"fullname\":\"Jo\",\"enabled\":\"true\",\"change-password-at-signin\":\"true\",\"password-cleartext\":\"Us3r-Passw0rd\"}]}")))
            .On(Get, AuthServers + "/auth-server/Corp%20RADIUS/local/users", Answers.Status(404))
            .On(Get, "/api/v1/configuration/users/user-realms", Answers.Json(200, JObject.Parse("{\"realm\":[{\"name\":\"Users\",\"authentication-server\":\"System Local\"}]}")))
            .On(Get, "/api/v1/configuration/users/user-roles", Answers.Json(200, JObject.Parse("{\"user-role\":[{\"name\":\"Users\"}]}")));

        [Fact]
        public async Task ReadsTheConfigurationTreeIntoJsonSectionsAndNotTheBinaryExport()
        {
            var handler = Tree();
            using (var appliance = await OpenAsync(handler))
            {
                var backup = await appliance.ExportConfigAsync(CancellationToken.None);

                Assert.Equal("ConnectSecure", backup.Driver);
                Assert.Equal(new[]
                {
                    "authentication/auth-servers.json", "authentication/auth-servers/System Local/local/users.json",
                    "configuration.json", "users/user-realms.json", "users/user-roles.json",
                }, backup.Sections.Keys.ToArray());
                Assert.Equal("jo", (string)JObject.Parse(backup.Sections["authentication/auth-servers/System Local/local/users.json"])["user"][0]["username"]);
                Assert.Contains("\n", backup.Sections["users/user-realms.json"]);
                Assert.Empty(handler.RequestsTo(Get, "/api/v1/system/binary-configuration"));
                Assert.Equal(ApiKey, handler.RequestsTo(Get, "/api/v1/configuration")[0].BasicUser);
            }
        }

        [Fact]
        public async Task WithholdsSecretValuesButKeepsAttributesThatOnlyMentionAPassword()
        {
            using (var appliance = await OpenAsync(Tree()))
            {
                var backup = await appliance.ExportConfigAsync(CancellationToken.None);
                string all = string.Join("\n", backup.Sections.Values);

                Assert.DoesNotContain("Us3r-Passw0rd", all);
                Assert.DoesNotContain("Rad1us-S3cret", all);
                var user = JObject.Parse(backup.Sections["authentication/auth-servers/System Local/local/users.json"])["user"][0];
                Assert.Equal("(withheld)", (string)user["password-cleartext"]);
                Assert.Equal("true", (string)user["change-password-at-signin"]);
            }
        }

        [Fact]
        public async Task TwoReadsOfTheSameTreeAreEqualText()
        {
            using (var appliance = await OpenAsync(Tree()))
            {
                var first = await appliance.ExportConfigAsync(CancellationToken.None);
                var second = await appliance.ExportConfigAsync(CancellationToken.None);
                Assert.Equal(first.Sections, second.Sections);
            }
        }
    }
}
