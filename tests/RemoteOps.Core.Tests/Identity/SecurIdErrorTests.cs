using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Identity
{
    public sealed class SecurIdErrorTests
    {
        private static RestResponse Reply(int status, string json) => new RestResponse((HttpStatusCode)status, json);

        [Theory]
        [InlineData(404, "{\"code\":\"404 NOT_FOUND\",\"description\":\"User x not found\"}", "404 NOT_FOUND: User x not found", ApplianceErrorKind.NotFound)]
        [InlineData(400, "{\"code\":\"400 BAD_REQUEST\",\"description\":\"Wrong number of properties in the request body.\"}", "400 BAD_REQUEST: Wrong number of properties in the request body.", ApplianceErrorKind.InvalidRequest)]
        [InlineData(429, "{\"code\":\"429 TOO_MANY_REQUESTS\",\"description\":\"slow down\"}", "429 TOO_MANY_REQUESTS: slow down", ApplianceErrorKind.Busy)]
        [InlineData(409, "{\"code\":\"409 CONFLICT\",\"description\":\"state\"}", "409 CONFLICT: state", ApplianceErrorKind.InvalidRequest)]
        public void TheDocumentedErrorBodiesAreReadAndClassified(int status, string body, string text, ApplianceErrorKind kind)
        {
            Assert.Equal(text, SecurIdErrorParser.Instance.ErrorText(Reply(status, body)));
            Assert.Equal(kind, SecurIdErrorParser.Instance.Classify(Reply(status, body)));
        }

        [Fact]
        public void TheSpringStyleTokenRefusalIsReadAndRecognised()
        {
            var reply = Reply(403, "{\"timestamp\":\"2025-06-01T10:00:00.000+00:00\",\"status\":403,\"error\":\"Forbidden\",\"message\":\"Server failed to process provided access token\",\"path\":\"/AdminInterface/restapi/v1/users/lookup\"}");
            Assert.Equal("Forbidden: Server failed to process provided access token", SecurIdErrorParser.Instance.ErrorText(reply));
            Assert.True(SecurIdErrorParser.IsTokenRefused(reply));
            Assert.False(SecurIdErrorParser.IsTokenRefused(Reply(403, "{\"code\":\"403 FORBIDDEN\",\"description\":\"Help Desk admins may not\"}")));
            Assert.Null(SecurIdErrorParser.Instance.Classify(reply));
        }

        [Fact]
        public async Task ALastingRefusalOfTheTokenIsAnAuthenticationFailureWithoutTheToken()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, ScriptedSecurId.AdminRoot + "/v1/users/lookup",
                    Answers.From(r => Answers.Json(403, new JObject { ["timestamp"] = "t", ["status"] = 403, ["error"] = "Forbidden", ["message"] = "Server failed to process provided access token " + r.Authorization.Parameter })));
                using (var appliance = await sid.OpenAsync())
                {
                    var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetUserAsync("ana@example.com", CancellationToken.None));
                    Assert.Equal(ApplianceErrorKind.AuthenticationFailed, error.Kind);
                    Assert.True(error.Message.Contains("access token ***", StringComparison.Ordinal), error.Message);
                    foreach (var request in sid.Handler.Requests)
                    {
                        Assert.DoesNotContain(request.Authorization.Parameter, error.Message);
                    }
                }
            }
        }

        [Fact]
        public async Task AnUnknownUserIsNotFoundAndABusyServiceIsRetried()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, ScriptedSecurId.AdminRoot + "/v1/users/lookup",
                    Answers.RetryAfter(429, 0), Answers.Json(404, "{\"code\":\"404 NOT_FOUND\",\"description\":\"User nobody@example.com not found\"}"));
                using (var appliance = await sid.OpenAsync())
                {
                    var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.GetUserAsync("nobody@example.com", CancellationToken.None));
                    Assert.Equal(ApplianceErrorKind.NotFound, error.Kind);
                }

                Assert.Equal(2, sid.Handler.Requests.Count);
            }
        }

        [Fact]
        public async Task TheClientKeyGoesInItsOwnHeaderAndNeverIntoAnError()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, "/mfa/v1_1/authn/initialize", Answers.Json(401, new JObject { ["message"] = "invalid client-key " + ScriptedSecurId.ClientKey }));
                using (var appliance = await sid.OpenAsync())
                {
                    var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.TestCodeAsync("ana@example.com", Secrets.Secure("123456"), CancellationToken.None));
                    Assert.Equal(ApplianceErrorKind.AuthenticationFailed, error.Kind);
                    Assert.DoesNotContain(ScriptedSecurId.ClientKey, error.Message);
                }

                Assert.Equal(ScriptedSecurId.ClientKey, sid.Handler.Requests[0].Header("client-key"));
                Assert.Null(sid.Handler.Requests[0].Authorization);
                Assert.DoesNotContain(ScriptedSecurId.ClientKey, sid.Handler.Requests[0].Path + sid.Handler.Requests[0].Query);
            }
        }
    }
}
