using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Identity
{
    public sealed class SecurIdDriverTests
    {
        private const string Lookup = ScriptedSecurId.AdminRoot + "/v1/users/lookup";

        [Theory]
        [InlineData("ana.silva@example.com", true)]
        [InlineData("a+b_c-d@sub.example.co.uk", true)]
        [InlineData("ana silva@example.com", false)]
        [InlineData("*@example.com", false)]
        [InlineData("ana@example.com\n", false)]
        [InlineData("../x@example.com", false)]
        [InlineData("x@example.com/../v1", false)]
        [InlineData("x@-example.com", false)]
        [InlineData("x@example.com?a=1", false)]
        [InlineData("'x'@example.com", false)]
        [InlineData("ana", false)]
        [InlineData("", false)]
        public void UserNamesArePlainEmailAddresses(string name, bool valid)
        {
            Assert.Equal(valid, SecurIdUserName.IsValid(name));
        }

        [Fact]
        public async Task AHostileNameIsRefusedBeforeAnyRequest()
        {
            using (var sid = new ScriptedSecurId())
            using (var appliance = await sid.OpenAsync())
            {
                await Assert.ThrowsAsync<ArgumentException>(() => appliance.GetUserAsync("x\"}@example.com", CancellationToken.None));
                await Assert.ThrowsAsync<ArgumentException>(() => appliance.TestCodeAsync("a b@example.com", Secrets.Secure("1"), CancellationToken.None));
                Assert.Empty(sid.Handler.Requests);
            }
        }

        [Fact]
        public async Task AUserIsReadWithLocksTokensAndDevices()
        {
            using (var sid = new ScriptedSecurId())
            {
                JObject user = ScriptedSecurId.User("ana@example.com", tokenLocked: true);
                user["isSmsLocked"] = "true";
                sid.Handler.On(HttpMethod.Post, Lookup, Answers.Json(200, user))
                    .On(HttpMethod.Get, ScriptedSecurId.AdminRoot + $"/v2/users/{ScriptedSecurId.UserId}/devices", Answers.Json(200,
                        "{\"devices\":[{\"id\":\"d1\",\"name\":\"Pixel\",\"deviceType\":\"MOBILE\"}],\"fidoTokens\":[],\"sidTokens\":[{\"tokenSerialNumber\":\"000111\",\"tokenStatus\":\"Disabled\",\"expiryDate\":\"2029-12-31T00:00:00.000Z\"}]}"));
                using (var appliance = await sid.OpenAsync())
                {
                    SecurIdUser read = await appliance.GetUserAsync("ana@example.com", CancellationToken.None);
                    Assert.Equal(new[] { "TOKEN", "SMS" }, read.LockedMethods);
                    Assert.Equal("000111", read.Authenticators[0].Identifier);
                    Assert.False(read.Authenticators[0].Enabled);
                    Assert.Equal(new DateTimeOffset(2029, 12, 31, 0, 0, 0, TimeSpan.Zero), read.Authenticators[0].ExpiresOn);
                    Assert.Equal("Authenticate app (MOBILE)", read.Authenticators[1].Kind);

                    SecondFactorUserCheck(await appliance.GetSecondFactorUserAsync("ana@example.com", CancellationToken.None));
                }

                Assert.Equal(JObject.Parse("{\"email\":\"ana@example.com\",\"searchUnsynched\":false}"), sid.Handler.RequestsTo(HttpMethod.Post, Lookup)[0].Json);
                Assert.Equal($"/AdminInterface/restapi/v1/users/lookup", sid.Handler.Requests[0].Path);
            }
        }

        private static void SecondFactorUserCheck(RemoteOps.Core.Identity.SecondFactorUser user)
        {
            Assert.True(user.Locked);
            Assert.True(user.Enabled);
            Assert.Equal(2, user.Authenticators.Count);
        }

        [Fact]
        public async Task UnlockSendsOnlyTheLockedMethodsAndNothingWhenNoneIs()
        {
            using (var sid = new ScriptedSecurId())
            {
                var patch = new HttpMethod("PATCH");
                sid.Handler.On(HttpMethod.Post, Lookup, Answers.Json(200, ScriptedSecurId.User("ana@example.com", tokenLocked: true)))
                    .On(patch, ScriptedSecurId.AdminRoot + $"/v1/users/{ScriptedSecurId.UserId}/methods", Answers.Json(200, "{}"));
                using (var appliance = await sid.OpenAsync())
                {
                    var change = await appliance.UnlockAsync("ana@example.com", new[] { "token", "SMS" }, CancellationToken.None);
                    Assert.Equal("Changed", change.Outcome);
                    Assert.Equal(JObject.Parse("{\"unlockMethods\":[\"TOKEN\"]}"), sid.Handler.RequestsTo(patch, ScriptedSecurId.AdminRoot + $"/v1/users/{ScriptedSecurId.UserId}/methods").Single().Json);

                    sid.Handler.On(HttpMethod.Post, Lookup, Answers.Json(200, ScriptedSecurId.User("ana@example.com")));
                    Assert.Equal("NoChange", (await appliance.UnlockAsync("ana@example.com", new[] { "TOKEN" }, CancellationToken.None)).Outcome);
                    Assert.Single(sid.Handler.RequestsTo(patch, ScriptedSecurId.AdminRoot + $"/v1/users/{ScriptedSecurId.UserId}/methods"));
                    await Assert.ThrowsAsync<ArgumentException>(() => appliance.UnlockAsync("ana@example.com", new[] { "FINGERPRINT" }, CancellationToken.None));
                }
            }
        }

        [Fact]
        public async Task StatusIsSetOnlyWhenItDiffers()
        {
            using (var sid = new ScriptedSecurId())
            {
                string status = ScriptedSecurId.AdminRoot + $"/v1/users/{ScriptedSecurId.UserId}/userStatus";
                sid.Handler.On(HttpMethod.Post, Lookup, Answers.Json(200, ScriptedSecurId.User("ana@example.com")))
                    .On(HttpMethod.Put, status, Answers.Json(200, "{\"id\":\"x\",\"userStatus\":\"Disabled\"}"));
                using (var appliance = await sid.OpenAsync())
                {
                    Assert.Equal("NoChange", (await appliance.SetUserEnabledAsync("ana@example.com", true, CancellationToken.None)).Outcome);
                    Assert.Equal("Changed", (await appliance.SetUserEnabledAsync("ana@example.com", false, CancellationToken.None)).Outcome);
                }

                Assert.Equal("Disabled", (string)sid.Handler.RequestsTo(HttpMethod.Put, status).Single().Json["userStatus"]);
            }
        }

        [Fact]
        public async Task TheEmergencyCodeIsShownOnceAndNeverInText()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, Lookup, Answers.Json(200, ScriptedSecurId.User("ana@example.com")))
                    .On(HttpMethod.Put, ScriptedSecurId.AdminRoot + $"/v1/users/{ScriptedSecurId.UserId}/emergencyTokencode",
                        Answers.Json(200, "{\"emergencyTokencodeId\":\"eac-1\",\"emergencyTokencode\":\"73519468\",\"expirationDate\":\"2030-01-02T03:04:05.000Z\",\"offlineExpirationDate\":null}"));
                using (var appliance = await sid.OpenAsync())
                {
                    EmergencyAccessCode code = await appliance.NewEmergencyAccessCodeAsync("ana@example.com", 3, CancellationToken.None);
                    Assert.Equal("3", (string)sid.Handler.Requests.Last().Json["expirationDays"]);
                    Assert.Equal(8, code.Code.Length);
                    Assert.DoesNotContain("73519468", code.ToString());
                    Assert.Equal("73519468", code.RevealOnce());
                    Assert.Null(code.Code);
                    Assert.Contains("already shown once", Assert.Throws<InvalidOperationException>(() => code.RevealOnce()).Message);
                    await Assert.ThrowsAsync<ArgumentException>(() => appliance.NewEmergencyAccessCodeAsync("ana@example.com", 8, CancellationToken.None));
                }
            }
        }

        [Fact]
        public async Task AuthenticationManagerOffersOnlyCodeTestsOnPort5555AndRefusesAdministration()
        {
            using (var sid = new ScriptedSecurId())
            {
                SecurIdOptions options = sid.Options("AuthenticationManager");
                options.AuthApiUrl = null;
                options.AddressAsTyped = "am01.corp.example";
                using (var appliance = await sid.OpenAsync(options))
                {
                    Assert.Equal(ApplianceCapabilities.SecondFactorCodeTest, appliance.Capabilities);
                    Assert.Equal("am01.corp.example:5555", appliance.Info.Address);
                    var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetUserAsync("ana@example.com", CancellationToken.None));
                    Assert.Equal(ApplianceErrorKind.NotSupported, error.Kind);
                    Assert.Contains("no REST administration API", error.Message);
                }

                Assert.Empty(sid.Handler.Requests);
            }
        }

        [Fact]
        public void TheAdminRootIsFoundFromAHostOrAnyUrlUnderTheApi()
        {
            Assert.Equal("https://t.access.securid.com/AdminInterface/restapi/", SecurIdEndpoints.AdminRoot(new Uri("https://t.access.securid.com")).AbsoluteUri);
            Assert.Equal("https://t.access.securid.com/AdminInterface/restapi/", SecurIdEndpoints.AdminRoot(new Uri("https://t.access.securid.com/AdminInterface/restapi/v1")).AbsoluteUri);
            Assert.Equal("https://t:8443/AdminInterface/restapi/", SecurIdEndpoints.AdminRoot(new Uri("https://t:8443/AdminInterface/restapi/")).AbsoluteUri);
        }

        [Fact]
        public void SettingsAreCheckedWhenGiven()
        {
            var options = new SecurIdOptions();
            Assert.Contains("Cloud or AuthenticationManager", Assert.Throws<ArgumentException>(() => options.Deployment = "OnPrem").Message);
            Assert.Throws<ArgumentException>(() => options.Deployment = "1");
            options.Deployment = "authenticationmanager";
            Assert.Equal(SecurIdDeployment.AuthenticationManager, options.DeploymentKind);
            Assert.Contains("LOW, MEDIUM, HIGH", Assert.Throws<ArgumentException>(() => options.AssuranceLevel = "max").Message);
            Assert.Contains("full path", Assert.Throws<ArgumentException>(() => options.AdminApiKeyFile = "key.json").Message);
            Assert.Throws<ArgumentException>(() => options.AuthApiUrl = "http://am:5555/mfa/v1_1");
            Assert.Throws<ArgumentException>(() => options.AuthAttemptTimeoutSec = 5);
        }

        [Fact]
        public async Task CloudNeedsAnAdminSignInAndOnlyOne()
        {
            using (var sid = new ScriptedSecurId())
            {
                SecurIdOptions none = sid.Options();
                none.AdminApiKeyFile = null;
                Assert.Contains("AdminApiKeyFile", (await Assert.ThrowsAsync<ArgumentException>(() => sid.OpenAsync(none))).Message);

                SecurIdOptions both = sid.Options();
                both.OAuthClientId = "c";
                Assert.Contains("not both", (await Assert.ThrowsAsync<ArgumentException>(() => sid.OpenAsync(both))).Message);

                SecurIdOptions levels = sid.Options();
                levels.AssuranceLevel = "LOW";
                levels.AssurancePolicyId = "p1";
                Assert.Contains("not both", (await Assert.ThrowsAsync<ArgumentException>(() => sid.OpenAsync(levels))).Message);
                Assert.Empty(sid.Handler.Requests);
            }
        }
    }
}
