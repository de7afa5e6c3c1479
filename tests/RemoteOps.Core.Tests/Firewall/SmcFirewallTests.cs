using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall.Smc;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    /// <summary>The SMC driver's connection against a scripted SMC: versions, login, session cookie, links.</summary>
    public sealed class SmcFirewallTests
    {
        private const string Key = "smc-Key-0123456789abcdef";
        private const string Base = "https://smc.test";

        [Fact]
        public async Task LogsInWithTheKeyAndSendsTheSessionCookieNeverTheKey()
        {
            ScriptedHttpHandler smc = Smc();

            using (SmcFirewall firewall = await OpenAsync(smc))
            {
                Assert.Equal("SMC API 7.1", firewall.Info.Version);
                Assert.Equal("fw-1", firewall.Info.Name);
            }

            RecordedRequest login = smc.RequestsTo(HttpMethod.Post, "/7.1/login").Single();
            Assert.Equal(Key, (string)login.Json["authenticationkey"]);
            Assert.Equal("Shared Domain", (string)login.Json["domain"]);
            var afterLogin = smc.Requests.SkipWhile(r => r.Path != "/7.1/login").Skip(1).ToList();
            Assert.NotEmpty(afterLogin);
            Assert.All(afterLogin, r =>
            {
                Assert.Equal("JSESSIONID=s1", r.Headers["Cookie"]);
                Assert.Null(r.Authorization);
                Assert.DoesNotContain(Key, r.Path + r.Query + r.Body);
            });
            Assert.Single(smc.RequestsTo(HttpMethod.Put, "/7.1/logout"));
            Assert.Empty(smc.Unrouted);
        }

        [Fact]
        public async Task ARefusedKeyIsAnAuthenticationFailureThatNeverShowsTheKey()
        {
            ScriptedHttpHandler smc = Smc().On(HttpMethod.Post, "/7.1/login", Answers.Json(401, new JObject { ["message"] = "Login failed", ["details"] = new JArray("bad key " + Key) }));

            var error = await Assert.ThrowsAsync<ApplianceException>(() => OpenAsync(smc));

            Assert.Equal(ApplianceErrorKind.AuthenticationFailed, error.Kind);
            Assert.Contains("refused the API client's authentication key (HTTP 401: Login failed", error.Message);
            Assert.DoesNotContain(Key, error.Message + error.Remedy);
        }

        [Fact]
        public async Task AVersionTheSMCDoesNotServeIsRefusedBeforeLoggingIn()
        {
            ScriptedHttpHandler smc = Smc();

            var error = await Assert.ThrowsAsync<ApplianceException>(() => OpenAsync(smc, "7.3"));

            Assert.Equal(ApplianceErrorKind.NotSupported, error.Kind);
            Assert.Contains("serves SMC API version(s) 6.5, 7.1; ApiVersion '7.3' is not among them", error.Message);
            Assert.Empty(smc.RequestsTo(HttpMethod.Post, "/7.3/login"));
        }

        [Fact]
        public async Task ALinkToAnotherHostIsNotFollowed()
        {
            ScriptedHttpHandler smc = Smc().On(HttpMethod.Get, "/7.1/elements/fw_policy?filter=P&exact_match=True", Answers.Json(200, new JObject
            {
                ["result"] = new JArray(new JObject { ["name"] = "P", ["href"] = "https://elsewhere.test/7.1/elements/fw_policy/1", ["type"] = "fw_policy" }),
            }));

            var error = await Assert.ThrowsAsync<ApplianceException>(() => OpenAsync(smc));

            Assert.Contains("returned a link to https://elsewhere.test, which is not this SMC", error.Message);
            Assert.Empty(smc.Unrouted);
        }

        [Fact]
        public async Task MissingSettingsAreRefusedBeforeAnythingIsSent()
        {
            var handler = new ScriptedHttpHandler();
            var options = new SmcOptions { BaseAddress = new Uri(Base), Password = Secrets.Secure(Key), PolicyName = "P", EngineName = "fw-1", Handler = handler };

            var error = await Assert.ThrowsAsync<ArgumentException>(() => SmcFirewall.OpenAsync(options, CancellationToken.None));

            Assert.Contains("needs -Option @{ ApiVersion = '7.1' }", error.Message);
            Assert.Empty(handler.Requests);
        }

        private static Task<SmcFirewall> OpenAsync(ScriptedHttpHandler smc, string version = "7.1") =>
            SmcFirewall.OpenAsync(new SmcOptions
            {
                BaseAddress = new Uri(Base),
                Password = Secrets.Secure(Key),
                ApiVersion = version,
                PolicyName = "P",
                EngineName = "fw-1",
                Retry = TestRetryPolicies.Fast,
                Handler = smc,
            }, CancellationToken.None);

        private static ScriptedHttpHandler Smc()
        {
            JObject Result(string name, string href, string type) =>
                new JObject { ["result"] = new JArray(new JObject { ["name"] = name, ["href"] = Base + href, ["type"] = type }) };
            var entries = new JArray(new[] { "elements", "logout", "fw_policy", "group", "host", "network", "address_range", "tcp_service", "udp_service", "ip_service" }
                .Select(rel => new JObject { ["rel"] = rel, ["href"] = Base + "/7.1/" + (rel == "logout" ? "logout" : rel == "elements" ? "elements" : "elements/" + rel), ["method"] = "GET" }));
            return new ScriptedHttpHandler()
                .On(HttpMethod.Get, "/api", Answers.Json(200, "{\"version\":[{\"rel\":\"6.5\"},{\"rel\":\"7.1\"}]}"))
                .On(HttpMethod.Post, "/7.1/login", (request, token) =>
                {
                    var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(string.Empty) };
                    response.Headers.Add("Set-Cookie", "JSESSIONID=s1; Path=/; Secure; HttpOnly");
                    return Task.FromResult(response);
                })
                .On(HttpMethod.Get, "/7.1/api", Answers.Json(200, new JObject { ["entry_point"] = entries }))
                .On(HttpMethod.Get, "/7.1/elements/fw_policy?filter=P&exact_match=True", Answers.Json(200, Result("P", "/7.1/elements/fw_policy/1", "fw_policy")))
                .On(HttpMethod.Get, "/7.1/elements/fw_policy/1", Answers.Json(200, new JObject
                {
                    ["name"] = "P",
                    ["link"] = new JArray(
                        new JObject { ["rel"] = "fw_ipv4_access_rules", ["href"] = Base + "/7.1/elements/fw_policy/1/fw_ipv4_access_rule" },
                        new JObject { ["rel"] = "upload", ["href"] = Base + "/7.1/elements/fw_policy/1/upload" }),
                }))
                .On(HttpMethod.Get, "/7.1/elements?filter_context=engine_clusters&filter=fw-1&exact_match=True", Answers.Json(200, Result("fw-1", "/7.1/elements/single_fw/2", "single_fw")))
                .On(HttpMethod.Put, "/7.1/logout", Answers.Status(204));
        }
    }
}
