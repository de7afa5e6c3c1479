using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// One code test over the SecurID Authentication API (RSA's published API definition v1.0.2,
    /// as generated in rsa-ingo/rsa-securid-authentication-api docs/Initialize.md and
    /// docs/Verify.md): POST authn/initialize for the subject, then POST authn/verify with the
    /// code for the SecurID method the challenge offers, each message with a new messageId and
    /// inResponseTo the server's last one; verify is repeated while the answer is IN_PROCESS. An
    /// attempt that ends in a further challenge is cancelled (POST authn/cancel), so that it does
    /// not linger on the service.
    /// </summary>
    internal static class SecurIdCodeTest
    {
        /// <summary>The SecurID token methods, in the order they are preferred (AM and Cloud name it differently).</summary>
        internal static readonly string[] TokenMethods = { "SECURID", "TOKEN" };

        /// <summary>How often verify is repeated while the service answers IN_PROCESS.</summary>
        internal const int MaxInProcessPolls = 5;

        internal static async Task<SecurIdCodeTestResult> RunAsync(RestClient client, SecurIdOptions options, string userName, SecureString code, CancellationToken cancellationToken)
        {
            if (code == null || code.Length == 0)
            {
                throw new ArgumentException("Give the code to test as a SecureString (-Code) or as the password of -Credential.");
            }

            var result = new SecurIdCodeTestResult { UserName = userName, Appliance = client.BaseAddress.Authority };
            var initialize = new JObject
            {
                ["subjectName"] = userName,
                ["lang"] = "en_US",
                ["authnAttemptTimeout"] = options.AuthAttemptTimeoutSec,
                ["sessionAttributes"] = new JArray(),
                ["subjectCredentials"] = new JArray(),
                ["keepAttempt"] = false,
                ["context"] = new JObject { ["messageId"] = NewMessageId() },
            };
            if (!string.IsNullOrEmpty(options.AuthClientId))
            {
                initialize["clientId"] = options.AuthClientId;
            }

            if (options.AssurancePolicyId != null)
            {
                initialize["assurancePolicyId"] = options.AssurancePolicyId;
            }
            else
            {
                initialize["assuranceLevel"] = options.AssuranceLevel ?? "MEDIUM";
            }

            JObject reply = await PostAsync(client, "authn/initialize", initialize, $"Starting a code test for '{userName}'", null, cancellationToken).ConfigureAwait(false);
            Record(result, reply);
            string attempt = (string)reply["context"]?["authnAttemptId"];
            switch (result.AttemptResponseCode)
            {
                case "SUCCESS":
                    result.Result = SecurIdCodeTestOutcome.NotRequired;
                    return result;
                case "CHALLENGE":
                    break;
                case "FAIL":
                    result.Result = SecurIdCodeTestOutcome.Failed;
                    return result;
                default:
                    result.Result = SecurIdCodeTestOutcome.Error;
                    return result;
            }

            (string method, string version, List<string> offered) = TokenMethodOf(reply);
            if (method == null)
            {
                result.Result = SecurIdCodeTestOutcome.MethodUnavailable;
                result.Challenge = offered;
                await CancelAsync(client, attempt, cancellationToken).ConfigureAwait(false);
                return result;
            }

            result.MethodId = method;
            string clear = SecretText.Reveal(code);
            var credential = new JObject
            {
                ["methodId"] = method,
                ["collectedInputs"] = new JArray(new JObject { ["name"] = method, ["value"] = clear, ["dataType"] = "STRING" }),
            };
            if (version != null)
            {
                credential["versionId"] = version;
            }

            JArray credentials = new JArray(credential);
            for (int poll = 0; ; poll++)
            {
                var verify = new JObject
                {
                    ["subjectCredentials"] = credentials,
                    ["context"] = new JObject
                    {
                        ["authnAttemptId"] = attempt,
                        ["messageId"] = NewMessageId(),
                        ["inResponseTo"] = (string)reply["context"]?["messageId"],
                    },
                };
                reply = await PostAsync(client, "authn/verify", verify, $"Verifying the code of '{userName}'", clear, cancellationToken).ConfigureAwait(false);
                Record(result, reply);
                if (result.AttemptResponseCode != "IN_PROCESS" || poll >= MaxInProcessPolls)
                {
                    break;
                }

                // The code was sent once; while the service is still working it is only asked again.
                credentials = new JArray();
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }

            switch (result.AttemptResponseCode)
            {
                case "SUCCESS":
                    result.Result = SecurIdCodeTestOutcome.Succeeded;
                    break;
                case "FAIL":
                    result.Result = SecurIdCodeTestOutcome.Failed;
                    break;
                case "CHALLENGE":
                    result.Result = SecurIdCodeTestOutcome.Challenge;
                    result.Challenge = Prompts(reply);
                    await CancelAsync(client, attempt, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    result.Result = SecurIdCodeTestOutcome.Error;
                    break;
            }

            return result;
        }

        private static string NewMessageId() => Guid.NewGuid().ToString("N");

        private static void Record(SecurIdCodeTestResult result, JObject reply)
        {
            result.AttemptResponseCode = (string)reply["attemptResponseCode"];
            result.AttemptReasonCode = (string)reply["attemptReasonCode"];
            JToken validation = (reply["credentialValidationResults"] as JArray)?.FirstOrDefault();
            if (validation != null)
            {
                result.MethodResponseCode = (string)validation["methodResponseCode"];
                result.MethodReasonCode = (string)validation["methodReasonCode"];
            }
        }

        // The first SecurID token method of the challenge that is usable (no METHOD_NOT_APPLICABLE attribute).
        private static (string method, string version, List<string> offered) TokenMethodOf(JObject reply)
        {
            var offered = new List<string>();
            var usable = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (JToken required in Required(reply))
            {
                string id = (string)required["methodId"];
                JToken version = (required["versions"] as JArray)?.FirstOrDefault();
                bool notApplicable = (version?["methodAttributes"] as JArray ?? new JArray())
                    .Any(a => string.Equals((string)a["name"], "METHOD_NOT_APPLICABLE", StringComparison.OrdinalIgnoreCase) && !string.Equals((string)a["value"], "false", StringComparison.OrdinalIgnoreCase));
                offered.Add(id + (notApplicable ? " (not applicable)" : string.Empty));
                if (id != null && !notApplicable && !usable.ContainsKey(id))
                {
                    usable[id] = (string)version?["versionId"];
                }
            }

            foreach (string method in TokenMethods)
            {
                if (usable.TryGetValue(method, out string version))
                {
                    return (method, version, offered);
                }
            }

            return (null, null, offered);
        }

        private static List<string> Prompts(JObject reply)
        {
            return Required(reply).Select(required =>
            {
                JToken prompt = (required["versions"] as JArray)?.FirstOrDefault()?["prompt"];
                string text = (string)prompt?["defaultText"] ?? (string)required["displayName"];
                return (string)required["methodId"] + (string.IsNullOrEmpty(text) ? string.Empty : ": " + text);
            }).ToList();
        }

        private static IEnumerable<JToken> Required(JObject reply)
        {
            foreach (JToken challenge in reply["challengeMethods"]?["challenges"] as JArray ?? new JArray())
            {
                foreach (JToken required in challenge["requiredMethods"] as JArray ?? new JArray())
                {
                    yield return required;
                }
            }
        }

        private static async Task<JObject> PostAsync(RestClient client, string path, JObject body, string what, string code, CancellationToken cancellationToken)
        {
            // Never repeated after a lost reply: a second verify would count as a second attempt with the code.
            RestResponse response = await client.SendAsync(HttpMethod.Post, path, body, cancellationToken).ConfigureAwait(false);
            client.EnsureSuccess(response, what, code);
            return response.Json as JObject ?? throw new ApplianceException(ApplianceErrorKind.Failed, $"{what} on {client.BaseAddress.Authority}: the answer was not a JSON object.");
        }

        private static async Task CancelAsync(RestClient client, string attempt, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(attempt))
            {
                return;
            }

            // Best effort: the attempt also times out on its own (authnAttemptTimeout).
            try
            {
                await client.SendAsync(HttpMethod.Post, "authn/cancel", new JObject { ["authnAttemptId"] = attempt, ["reason"] = "USER_ACTION", ["removeAttemptId"] = true }, cancellationToken).ConfigureAwait(false);
            }
            catch (ApplianceException)
            {
            }
        }
    }
}
