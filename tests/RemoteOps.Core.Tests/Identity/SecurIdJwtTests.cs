using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Identity
{
    public sealed class SecurIdJwtTests
    {
        [Fact]
        public void TheAdminJwtIsRs256WithTheAccessIdTheKeysUrlAndFiftyEightMinutes()
        {
            using (var sid = new ScriptedSecurId())
            {
                var key = SecurIdAdminApiKey.Load(sid.KeyFile);
                var issued = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
                string jwt = SecurIdAdminLogin.AdminJwt(key, issued, issued + SecurIdAdminLogin.AdminJwtLife);

                JObject header = ScriptedSecurId.Header(jwt);
                Assert.Equal("RS256", (string)header["alg"]);
                Assert.Equal("JWT", (string)header["typ"]);
                JObject claims = sid.VerifiedClaims(jwt);
                Assert.Equal(ScriptedSecurId.AccessId, (string)claims["sub"]);
                Assert.Equal($"https://{ScriptedSecurId.Host}{ScriptedSecurId.AdminRoot}/v1", (string)claims["aud"]);
                Assert.Equal(1_700_000_000, (long)claims["iat"]);
                Assert.Equal(1_700_000_000 + 58 * 60, (long)claims["exp"]);
                Assert.DoesNotContain('=', jwt);
            }
        }

        [Fact]
        public void TheClientAssertionNamesTheClientTheTokenUrlAndAFreshJti()
        {
            using (RSA rsa = RSA.Create(2048))
            {
                var key = RsaPrivateKeyPem.Read(rsa.ExportRSAPrivateKeyPem(), "test key");
                var now = DateTimeOffset.UtcNow;
                string first = SecurIdAdminLogin.ClientAssertion("client-1", key, "kid-7", "https://t.auth.securid.com/oauth/token", now);
                string second = SecurIdAdminLogin.ClientAssertion("client-1", key, "kid-7", "https://t.auth.securid.com/oauth/token", now);

                Assert.Equal("kid-7", (string)ScriptedSecurId.Header(first)["kid"]);
                JObject claims = ScriptedSecurId.VerifiedClaims(first, rsa);
                Assert.Equal("client-1", (string)claims["iss"]);
                Assert.Equal("client-1", (string)claims["sub"]);
                Assert.Equal("https://t.auth.securid.com/oauth/token", (string)claims["aud"]);
                Assert.Equal(300, (long)claims["exp"] - (long)claims["iat"]);
                Assert.NotEqual((string)claims["jti"], (string)ScriptedSecurId.VerifiedClaims(second, rsa)["jti"]);
            }
        }

        [Fact]
        public void Pkcs1AndPkcs8KeysBothSignWhatThePublicKeyVerifies()
        {
            using (RSA rsa = RSA.Create(3072))
            {
                foreach (string pem in new[] { rsa.ExportRSAPrivateKeyPem(), rsa.ExportPkcs8PrivateKeyPem(), rsa.ExportPkcs8PrivateKeyPem().Replace("\n", "\\n") })
                {
                    string jwt = Jwt.SignRs256(new JObject { ["sub"] = "x" }, RsaPrivateKeyPem.Read(pem, "test key"));
                    Assert.Equal("x", (string)ScriptedSecurId.VerifiedClaims(jwt, rsa)["sub"]);
                }
            }
        }

        [Fact]
        public void KeysThatAreNotUnencryptedRsaAreRefusedWithoutShowingThem()
        {
            using (ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                string ecPem = ec.ExportPkcs8PrivateKeyPem();
                var notRsa = Assert.Throws<ArgumentException>(() => RsaPrivateKeyPem.Read(ecPem, "the key"));
                Assert.Contains("not an RSA key", notRsa.Message);
                Assert.DoesNotContain(ecPem.Split('\n')[1], notRsa.Message);
            }

            var garbage = Assert.Throws<ArgumentException>(() => RsaPrivateKeyPem.Read("-----BEGIN PRIVATE KEY-----\nTm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----", "the key"));
            Assert.DoesNotContain("Tm90IGEga2V5", garbage.Message);
            Assert.Throws<ArgumentException>(() => RsaPrivateKeyPem.Read("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", "the key"));
        }

        [Fact]
        public void AKeyFileWithoutAccessIdOrHttpsUrlIsRefusedNamingTheField()
        {
            using (var sid = new ScriptedSecurId())
            {
                JObject good = JObject.Parse(File.ReadAllText(sid.KeyFile));
                string noId = Path.Combine(sid.Folder, "no-id.json");
                var copy = (JObject)good.DeepClone();
                copy.Remove("accessID");
                File.WriteAllText(noId, copy.ToString());
                Assert.Contains("no accessID", Assert.Throws<ArgumentException>(() => SecurIdAdminApiKey.Load(noId)).Message);

                string http = Path.Combine(sid.Folder, "http.json");
                copy = (JObject)good.DeepClone();
                copy["adminRestApiUrl"] = "http://sid.test/AdminInterface/restapi/v1";
                File.WriteAllText(http, copy.ToString());
                var error = Assert.Throws<ArgumentException>(() => SecurIdAdminApiKey.Load(http));
                Assert.Contains("adminRestApiUrl", error.Message);
                Assert.DoesNotContain(((string)good["accessKey"]).Split('\n')[1], error.Message);
            }
        }

        [Fact]
        public async Task AnExpiredOrRefusedTokenIsReplacedOnceAndTheRequestRepeated()
        {
            using (var sid = new ScriptedSecurId())
            {
                var refused = new JObject { ["timestamp"] = "2025-01-01T00:00:00Z", ["status"] = 403, ["error"] = "Forbidden", ["message"] = "Server failed to process provided access token", ["path"] = "/x" };
                sid.Handler.On(HttpMethod.Post, ScriptedSecurId.AdminRoot + "/v1/users/lookup",
                        Answers.Json(403, refused), Answers.Json(200, ScriptedSecurId.User("ana@example.com")))
                    .On(HttpMethod.Get, ScriptedSecurId.AdminRoot + $"/v2/users/{ScriptedSecurId.UserId}/devices", Answers.Json(200, "{\"devices\":[],\"sidTokens\":[],\"fidoTokens\":[]}"));
                using (var appliance = await sid.OpenAsync())
                {
                    Assert.True((await appliance.GetUserAsync("ana@example.com", CancellationToken.None)).Enabled);
                }

                var lookups = sid.Handler.RequestsTo(HttpMethod.Post, ScriptedSecurId.AdminRoot + "/v1/users/lookup");
                Assert.Equal(2, lookups.Count);
                Assert.NotEqual(lookups[0].Authorization.Parameter, lookups[1].Authorization.Parameter);
            }
        }

        [Fact]
        public async Task TheJwtIsReusedUntilAMinuteBeforeItExpires()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, ScriptedSecurId.AdminRoot + "/v1/users/lookup", Answers.Json(200, ScriptedSecurId.User("ana@example.com")))
                    .On(HttpMethod.Get, ScriptedSecurId.AdminRoot + $"/v2/users/{ScriptedSecurId.UserId}/devices", Answers.Json(200, "{}"));
                using (var appliance = await sid.OpenAsync())
                {
                    await appliance.GetUserAsync("ana@example.com", CancellationToken.None);
                    sid.Now += TimeSpan.FromMinutes(56);
                    await appliance.GetUserAsync("ana@example.com", CancellationToken.None);
                    sid.Now += TimeSpan.FromMinutes(1.5);
                    await appliance.GetUserAsync("ana@example.com", CancellationToken.None);
                }

                var tokens = sid.Handler.Requests.Select(r => r.Authorization.Parameter).Distinct().ToList();
                Assert.Equal(2, tokens.Count);
                Assert.Equal(sid.Now.ToUnixTimeSeconds(), (long)sid.VerifiedClaims(tokens[1])["iat"]);
            }
        }

        [Fact]
        public async Task TheOAuthTokenIsAskedForWithAClientAssertionAndKeptUntilNearExpiry()
        {
            using (var sid = new ScriptedSecurId())
            {
                string pemFile = Path.Combine(sid.Folder, "client.pem");
                File.WriteAllText(pemFile, sid.Key.ExportRSAPrivateKeyPem());
                int issued = 0;
                sid.Handler.On(HttpMethod.Post, "/oauth/token", Answers.From(_ => Answers.Json(200, new JObject { ["access_token"] = "at-" + (++issued), ["token_type"] = "Bearer", ["expires_in"] = "120" })))
                    .On(HttpMethod.Post, ScriptedSecurId.AdminRoot + "/v1/users/lookup", Answers.Json(200, ScriptedSecurId.User("ana@example.com")))
                    .On(HttpMethod.Get, ScriptedSecurId.AdminRoot + $"/v2/users/{ScriptedSecurId.UserId}/devices", Answers.Json(200, "{}"));
                SecurIdOptions options = sid.Options();
                options.AdminApiKeyFile = null;
                options.OAuthClientId = "client-1";
                options.OAuthKeyFile = pemFile;
                options.OAuthTokenUrl = $"https://{ScriptedSecurId.Host}/oauth/token";
                using (var appliance = await sid.OpenAsync(options))
                {
                    await appliance.GetUserAsync("ana@example.com", CancellationToken.None);
                    sid.Now += TimeSpan.FromSeconds(30);
                    await appliance.GetUserAsync("ana@example.com", CancellationToken.None);
                    sid.Now += TimeSpan.FromSeconds(40);
                    await appliance.GetUserAsync("ana@example.com", CancellationToken.None);
                }

                var token = sid.Handler.RequestsTo(HttpMethod.Post, "/oauth/token");
                Assert.Equal(2, token.Count);
                Assert.Equal("application/x-www-form-urlencoded", token[0].ContentType);
                var form = token[0].Body.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
                Assert.Equal("client_credentials", form["grant_type"]);
                Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
                Assert.Contains("rsa.user.manage", form["scope"].Split(' '));
                Assert.Equal("client-1", (string)sid.VerifiedClaims(form["client_assertion"])["sub"]);
                Assert.Equal(new[] { "at-1", "at-1", "at-2" }, sid.Handler.RequestsTo(HttpMethod.Post, ScriptedSecurId.AdminRoot + "/v1/users/lookup").Select(r => r.Authorization.Parameter));
            }
        }
    }
}
