using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Tests.TestSupport
{
    /// <summary>One step of a route's script: what the appliance does with one request.</summary>
    internal delegate Task<HttpResponseMessage> ScriptedAnswer(RecordedRequest request, CancellationToken cancellationToken);

    /// <summary>The steps a route's script is made of.</summary>
    internal static class Answers
    {
        /// <summary>Answers with a status and a JSON body.</summary>
        internal static ScriptedAnswer Json(int status, string json) => (request, token) => Task.FromResult(JsonResponse(status, json));

        /// <summary>Answers with a status and a JSON body.</summary>
        internal static ScriptedAnswer Json(int status, JToken json) => Json(status, json.ToString(Newtonsoft.Json.Formatting.None));

        /// <summary>Answers with a status and a body that is not JSON (an HTML error page).</summary>
        internal static ScriptedAnswer Text(int status, string mediaType, string text)
            => (request, token) => Task.FromResult(new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(text, Encoding.UTF8, mediaType) });

        /// <summary>Answers with a status and an empty body (204, 404).</summary>
        internal static ScriptedAnswer Status(int status) => (request, token) => Task.FromResult(new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(string.Empty) });

        /// <summary>Answers with a status (429, 503) and a Retry-After header in seconds.</summary>
        internal static ScriptedAnswer RetryAfter(int status, int seconds) => (request, token) =>
        {
            HttpResponseMessage response = JsonResponse(status, "{}");
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            return Task.FromResult(response);
        };

        /// <summary>Answers from the request and the test's own state (a user that exists only after it was created).</summary>
        internal static ScriptedAnswer From(Func<RecordedRequest, ScriptedAnswer> choose) => (request, token) => choose(request)(request, token);

        /// <summary>Does the work of the request (changes the test's state), then answers.</summary>
        internal static ScriptedAnswer Processing(Action<RecordedRequest> effect, ScriptedAnswer answer) => (request, token) =>
        {
            effect(request);
            return answer(request, token);
        };

        /// <summary>The connection drops before the appliance sees the request: nothing happened.</summary>
        internal static ScriptedAnswer DropBeforeProcessing() => (request, token) => throw new HttpRequestException("The connection was reset (scripted, before processing).");

        /// <summary>The appliance did the work, then the connection dropped: the answer is lost.</summary>
        internal static ScriptedAnswer DropAfterProcessing(Action<RecordedRequest> effect) => (request, token) =>
        {
            effect(request);
            throw new HttpRequestException("The connection was reset (scripted, after processing).");
        };

        /// <summary>Waits before answering (honours cancellation, so a client timeout can fire).</summary>
        internal static ScriptedAnswer Delayed(TimeSpan delay, ScriptedAnswer answer) => async (request, token) =>
        {
            await Task.Delay(delay, token).ConfigureAwait(false);
            return await answer(request, token).ConfigureAwait(false);
        };

        internal static HttpResponseMessage JsonResponse(int status, string json)
            => new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
