using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Identity
{
    public sealed class SecurIdCodeTestTests
    {
        private const string Initialize = "/mfa/v1_1/authn/initialize";
        private const string Verify = "/mfa/v1_1/authn/verify";
        private const string Cancel = "/mfa/v1_1/authn/cancel";

        private static JObject Challenge(string method, bool notApplicable = false, string prompt = "Enter your passcode") => JObject.Parse(
            "{\"context\":{\"authnAttemptId\":\"att-1\",\"messageId\":\"srv-1\",\"inResponseTo\":\"x\"},\"attemptResponseCode\":\"CHALLENGE\",\"attemptReasonCode\":\"AUTHENTICATION_REQUIRED\","
            + "\"challengeMethods\":{\"challenges\":[{\"methodSetId\":\"1\",\"requiredMethods\":[{\"methodId\":\"" + method + "\",\"versions\":[{\"versionId\":\"1.0.0\",\"methodAttributes\":"
            + (notApplicable ? "[{\"name\":\"METHOD_NOT_APPLICABLE\",\"value\":\"true\"}]" : "[]") + ",\"prompt\":{\"defaultText\":\"" + prompt + "\"}}]}]}]}}");

        private static JObject Outcome(string code, string reason = null) => JObject.Parse(
            "{\"context\":{\"authnAttemptId\":\"att-1\",\"messageId\":\"srv-2\"},\"attemptResponseCode\":\"" + code + "\",\"credentialValidationResults\":[{\"methodId\":\"SECURID\",\"methodResponseCode\":\"" + code + "\",\"methodReasonCode\":" + (reason == null ? "null" : "\"" + reason + "\"") + "}]}");

        [Fact]
        public async Task InitializeThenVerifyWithNewMessageIdsAndInResponseToTheServersLast()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, Initialize, Answers.Json(200, Challenge("SECURID"))).On(HttpMethod.Post, Verify, Answers.Json(200, Outcome("SUCCESS")));
                SecurIdOptions options = sid.Options();
                options.AssuranceLevel = "high";
                options.AuthClientId = "agent-1";
                using (var appliance = await sid.OpenAsync(options))
                {
                    var result = await appliance.TestCodeAsync("ana@example.com", Secrets.Secure("12345678"), CancellationToken.None);
                    Assert.Equal(SecurIdCodeTestOutcome.Succeeded, result.Result);
                    Assert.Equal("SECURID", result.MethodId);
                }

                JObject init = sid.Handler.RequestsTo(HttpMethod.Post, Initialize).Single().Json;
                Assert.Equal("ana@example.com", (string)init["subjectName"]);
                Assert.Equal("HIGH", (string)init["assuranceLevel"]);
                Assert.Equal("agent-1", (string)init["clientId"]);
                JObject verify = sid.Handler.RequestsTo(HttpMethod.Post, Verify).Single().Json;
                Assert.Equal("att-1", (string)verify["context"]["authnAttemptId"]);
                Assert.Equal("srv-1", (string)verify["context"]["inResponseTo"]);
                Assert.NotEqual((string)init["context"]["messageId"], (string)verify["context"]["messageId"]);
                JToken input = verify["subjectCredentials"][0]["collectedInputs"][0];
                Assert.Equal("SECURID", (string)input["name"]);
                Assert.Equal("12345678", (string)input["value"]);
                Assert.Equal("STRING", (string)input["dataType"]);
            }
        }

        [Fact]
        public async Task AWrongCodeFailsAndAnErrorNeverHoldsTheCode()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, Initialize, Answers.Json(200, Challenge("TOKEN"))).On(HttpMethod.Post, Verify, Answers.Json(200, Outcome("FAIL", "INVALID_CREDENTIAL")));
                using (var appliance = await sid.OpenAsync())
                {
                    var result = await appliance.TestCodeAsync("ana@example.com", Secrets.Secure("99999999"), CancellationToken.None);
                    Assert.Equal(SecurIdCodeTestOutcome.Failed, result.Result);
                    Assert.Equal("TOKEN", result.MethodId);
                    Assert.Equal("INVALID_CREDENTIAL", result.MethodReasonCode);

                    sid.Handler.On(HttpMethod.Post, Verify, Answers.Json(400, new JObject { ["message"] = "bad passcode 99999999" }));
                    var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.TestCodeAsync("ana@example.com", Secrets.Secure("99999999"), CancellationToken.None));
                    Assert.DoesNotContain("99999999", error.Message);
                }
            }
        }

        [Fact]
        public async Task ANextTokencodeChallengeIsReportedAndTheAttemptCancelled()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, Initialize, Answers.Json(200, Challenge("SECURID")))
                    .On(HttpMethod.Post, Verify, Answers.Json(200, Challenge("SECURID", prompt: "Enter the next tokencode")))
                    .On(HttpMethod.Post, Cancel, Answers.Json(200, "{}"));
                using (var appliance = await sid.OpenAsync())
                {
                    var result = await appliance.TestCodeAsync("ana@example.com", Secrets.Secure("1"), CancellationToken.None);
                    Assert.Equal(SecurIdCodeTestOutcome.Challenge, result.Result);
                    Assert.Equal(new[] { "SECURID: Enter the next tokencode" }, result.Challenge);
                }

                Assert.Equal("att-1", (string)sid.Handler.RequestsTo(HttpMethod.Post, Cancel).Single().Json["authnAttemptId"]);
            }
        }

        [Fact]
        public async Task ALockedOrMissingTokenMethodIsUnavailableAndNoCodeIsSent()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, Initialize, Answers.Json(200, Challenge("SECURID", notApplicable: true))).On(HttpMethod.Post, Cancel, Answers.Json(200, "{}"));
                using (var appliance = await sid.OpenAsync())
                {
                    var result = await appliance.TestCodeAsync("ana@example.com", Secrets.Secure("1"), CancellationToken.None);
                    Assert.Equal(SecurIdCodeTestOutcome.MethodUnavailable, result.Result);
                    Assert.Equal(new[] { "SECURID (not applicable)" }, result.Challenge);
                }

                Assert.Empty(sid.Handler.RequestsTo(HttpMethod.Post, Verify));
            }
        }

        [Fact]
        public async Task VerifyIsRepeatedWithoutTheCodeWhileInProcess()
        {
            using (var sid = new ScriptedSecurId())
            {
                var inProcess = JObject.Parse("{\"context\":{\"authnAttemptId\":\"att-1\",\"messageId\":\"srv-p\"},\"attemptResponseCode\":\"IN_PROCESS\"}");
                sid.Handler.On(HttpMethod.Post, Initialize, Answers.Json(200, Challenge("SECURID"))).On(HttpMethod.Post, Verify, Answers.Json(200, inProcess), Answers.Json(200, Outcome("SUCCESS")));
                using (var appliance = await sid.OpenAsync())
                {
                    Assert.Equal(SecurIdCodeTestOutcome.Succeeded, (await appliance.TestCodeAsync("ana@example.com", Secrets.Secure("424242"), CancellationToken.None)).Result);
                }

                var verifies = sid.Handler.RequestsTo(HttpMethod.Post, Verify);
                Assert.Equal(2, verifies.Count);
                Assert.Contains("424242", verifies[0].Body);
                Assert.DoesNotContain("424242", verifies[1].Body);
                Assert.Equal("srv-p", (string)verifies[1].Json["context"]["inResponseTo"]);
            }
        }

        [Fact]
        public async Task AVerifyWhoseReplyWasLostIsNotSentAgain()
        {
            using (var sid = new ScriptedSecurId())
            {
                sid.Handler.On(HttpMethod.Post, Initialize, Answers.Json(200, Challenge("SECURID"))).On(HttpMethod.Post, Verify, Answers.DropAfterProcessing(_ => { }));
                using (var appliance = await sid.OpenAsync())
                {
                    var error = await Assert.ThrowsAsync<ApplianceException>(() => appliance.TestCodeAsync("ana@example.com", Secrets.Secure("1"), CancellationToken.None));
                    Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
                }

                Assert.Single(sid.Handler.RequestsTo(HttpMethod.Post, Verify));
            }
        }
    }
}
