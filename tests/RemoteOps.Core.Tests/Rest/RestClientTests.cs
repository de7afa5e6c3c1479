using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Vpn;
using Xunit;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Tests.Rest
{
    public sealed class RestClientTests
    {
        private static readonly RestRetryPolicy FastRetry = new RestRetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(50) };

        [Fact]
        public async Task RetriesA429AndHonoursRetryAfterUpToTheCap()
        {
            var handler = new ScriptedHandler(
                _ => Respond(429, "{}", retryAfterSeconds: 1),
                _ => Respond(200, "{\"ok\":true}"));
            var policy = new RestRetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(300) };
            using (var client = Client(handler, policy))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                RestResponse response = await client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None);
                Assert.Equal(200, response.Code);
                Assert.Equal(2, handler.Calls);
                Assert.InRange(clock.ElapsedMilliseconds, 250, 5000);
            }
        }

        [Fact]
        public async Task RetriesA503EvenForAPostBecauseItWasNotProcessed()
        {
            var handler = new ScriptedHandler(_ => Respond(503, ""), _ => Respond(201, "{}"));
            using (var client = Client(handler))
            {
                RestResponse response = await client.SendAsync(HttpMethod.Post, "/users", new JObject(), CancellationToken.None);
                Assert.Equal(201, response.Code);
                Assert.Equal(2, handler.Calls);
            }
        }

        [Fact]
        public async Task RepeatsADroppedPostOnlyWhenTheCallerSaysTheEffectIsAbsent()
        {
            var handler = new ScriptedHandler(_ => throw new HttpRequestException("connection reset"), _ => Respond(201, "{}"));
            int checks = 0;
            using (var client = Client(handler))
            {
                RestResponse response = await client.SendAsync(HttpMethod.Post, "/users", new JObject(), CancellationToken.None,
                    token => { checks++; return Task.FromResult(true); });
                Assert.Equal(201, response.Code);
                Assert.Equal(1, checks);
            }

            var second = new ScriptedHandler(_ => throw new HttpRequestException("connection reset"), _ => Respond(201, "{}"));
            using (var client = Client(second))
            {
                // The first attempt took effect (the check finds the user): never send it again.
                var error = await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Post, "/users", new JObject(), CancellationToken.None, token => Task.FromResult(false)));
                Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
                Assert.Equal(1, second.Calls);
            }
        }

        [Fact]
        public async Task RetriesADroppedGetWithoutAsking()
        {
            var handler = new ScriptedHandler(_ => throw new HttpRequestException("reset"), _ => throw new System.IO.IOException("broken pipe"), _ => Respond(200, "{}"));
            using (var client = Client(handler))
            {
                Assert.Equal(200, (await client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None)).Code);
                Assert.Equal(3, handler.Calls);
            }
        }

        [Fact]
        public async Task GivesUpAfterMaxAttemptsWithAClassifiedError()
        {
            var handler = new ScriptedHandler(_ => Respond(503, ""));
            using (var client = Client(handler))
            {
                RestResponse response = await client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None);
                Assert.Equal(503, response.Code);
                Assert.Equal(FastRetry.MaxAttempts, handler.Calls);
                var error = Assert.Throws<ApplianceException>(() => client.EnsureSuccess(response, "Listing"));
                Assert.Equal(ApplianceErrorKind.Busy, error.Kind);
            }
        }

        [Fact]
        public async Task LogsInAgainOnceOn401AndRepeatsTheRequest()
        {
            int logins = 0;
            var handler = new ScriptedHandler(
                request => request.Headers.Authorization?.Parameter == "key1" ? Respond(401, "") : Respond(500, "unexpected"),
                request => request.Headers.Authorization?.Parameter == "key2" ? Respond(200, "{}") : Respond(500, "unexpected"));
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FastRetry, TimeSpan.FromSeconds(5),
                (c, token) => Task.FromResult(new AuthenticationHeaderValue("Basic", "key" + (++logins))), handler))
            {
                RestResponse response = await client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None);
                Assert.Equal(200, response.Code);
                Assert.Equal(2, logins);
            }
        }

        [Fact]
        public async Task ManyWorkersSeeingThe401LogInOnlyOnce()
        {
            int logins = 0;
            var handler = new ScriptedHandler(request => request.Headers.Authorization?.Parameter == "key1" ? Respond(401, "") : Respond(200, "{}"));
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FastRetry, TimeSpan.FromSeconds(5),
                async (c, token) => { await Task.Delay(20, token); return new AuthenticationHeaderValue("Basic", "key" + Interlocked.Increment(ref logins)); }, handler))
            {
                await client.EnsureLoggedInAsync(CancellationToken.None);
                var tasks = new List<Task<RestResponse>>();
                for (int i = 0; i < 20; i++)
                {
                    tasks.Add(client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None));
                }

                foreach (var response in await Task.WhenAll(tasks))
                {
                    Assert.Equal(200, response.Code);
                }

                Assert.Equal(2, logins);
            }
        }

        [Fact]
        public async Task ARefusedLoginIsNotRepeatedByEveryWaitingWorker()
        {
            int logins = 0;
            var handler = new ScriptedHandler(_ => Respond(200, "{}"));
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FastRetry, TimeSpan.FromSeconds(5),
                async (c, token) => { Interlocked.Increment(ref logins); await Task.Delay(10, token); throw new ApplianceException(ApplianceErrorKind.AuthenticationFailed, "refused"); }, handler))
            {
                var tasks = new List<Task>();
                for (int i = 0; i < 20; i++)
                {
                    tasks.Add(Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None)));
                }

                await Task.WhenAll(tasks);
                Assert.Equal(1, logins);
                Assert.Equal(0, handler.Calls);
            }
        }

        [Fact]
        public async Task ALoginTheApplianceDidNotAnswerIsTriedAgainLaterOnTheSameConnection()
        {
            int logins = 0;
            var handler = new ScriptedHandler(_ => Respond(200, "{}"));
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FastRetry, TimeSpan.FromSeconds(5),
                (c, token) => ++logins == 1
                    ? Task.FromException<AuthenticationHeaderValue>(new ApplianceException(ApplianceErrorKind.Unreachable, "connection refused"))
                    : Task.FromResult(new AuthenticationHeaderValue("Basic", "key")), handler))
            {
                client.UnansweredLoginHold = TimeSpan.Zero;
                var first = await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None));
                Assert.Equal(ApplianceErrorKind.Unreachable, first.Kind);

                RestResponse response = await client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None);

                Assert.Equal(200, response.Code);
                Assert.Equal(2, logins);
            }
        }

        [Theory]
        [InlineData("unreachable")]
        [InlineData("timed out")]
        public async Task ALoginTheApplianceDidNotAnswerIsNotRepeatedByEveryWaitingWorker(string how)
        {
            int logins = 0;
            var handler = new ScriptedHandler(_ => Respond(200, "{}"));
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FastRetry, TimeSpan.FromSeconds(5),
                async (c, token) =>
                {
                    Interlocked.Increment(ref logins);
                    await Task.Delay(10, token);
                    throw how == "unreachable" ? new ApplianceException(ApplianceErrorKind.Unreachable, "no answer") : (Exception)new TaskCanceledException("no answer within 3 s");
                }, handler))
            {
                client.UnansweredLoginHold = TimeSpan.FromMinutes(5);
                var tasks = new List<Task>();
                for (int i = 0; i < 20; i++)
                {
                    tasks.Add(Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None)));
                }

                await Task.WhenAll(tasks);
                Assert.Equal(1, logins);
            }
        }

        [Theory]
        [InlineData(ApplianceErrorKind.AuthenticationFailed)]
        [InlineData(ApplianceErrorKind.TrustFailure)]
        [InlineData(ApplianceErrorKind.InvalidRequest)]
        [InlineData(ApplianceErrorKind.Failed)]
        public async Task ARefusedLoginStaysRefusedAfterTheHoldForUnansweredLogins(ApplianceErrorKind refusal)
        {
            int logins = 0;
            var handler = new ScriptedHandler(_ => Respond(200, "{}"));
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FastRetry, TimeSpan.FromSeconds(5),
                (c, token) => { logins++; return Task.FromException<AuthenticationHeaderValue>(new ApplianceException(refusal, "refused")); }, handler))
            {
                client.UnansweredLoginHold = TimeSpan.Zero;
                await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None));
                await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None));

                Assert.Equal(1, logins);
                Assert.Equal(0, handler.Calls);
            }
        }

        [Fact]
        public async Task AfterARefusedReLoginTheRefusedKeyIsNotSentAgain()
        {
            int logins = 0;
            var handler = new ScriptedHandler(_ => Respond(401, ""));
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FastRetry, TimeSpan.FromSeconds(5),
                (c, token) => ++logins == 1
                    ? Task.FromResult(new AuthenticationHeaderValue("Basic", "key1"))
                    : Task.FromException<AuthenticationHeaderValue>(new ApplianceException(ApplianceErrorKind.AuthenticationFailed, "refused")), handler))
            {
                await client.EnsureLoggedInAsync(CancellationToken.None);
                await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None));
                Assert.Equal(1, handler.Calls);

                var error = await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None));

                Assert.Equal(ApplianceErrorKind.AuthenticationFailed, error.Kind);
                Assert.Equal(1, handler.Calls);
                Assert.Equal(2, logins);
            }
        }

        [Theory]
        [InlineData(400, ApplianceErrorKind.InvalidRequest)]
        [InlineData(401, ApplianceErrorKind.AuthenticationFailed)]
        [InlineData(404, ApplianceErrorKind.NotFound)]
        [InlineData(409, ApplianceErrorKind.AlreadyExists)]
        [InlineData(422, ApplianceErrorKind.InUse)]
        [InlineData(500, ApplianceErrorKind.Failed)]
        public void ClassifiesErrorStatuses(int status, ApplianceErrorKind kind)
        {
            using (var client = Client(new ScriptedHandler()))
            {
                var error = Assert.Throws<ApplianceException>(() => client.EnsureSuccess(new RestResponse((HttpStatusCode)status, "{\"result\":{\"errors\":[{\"message\":\"User is referenced by rule R\"}]}}"), "Removing"));
                Assert.Equal(kind, error.Kind);
                Assert.Contains("User is referenced by rule R", error.Message);
            }
        }

        [Fact]
        public void KeepsSecretsOutOfErrorMessagesEvenWhenTheApplianceEchoesThem()
        {
            using (var client = Client(new ScriptedHandler()))
            {
                client.AddSecret("S3cret!pw");
                var error = Assert.Throws<ApplianceException>(() => client.EnsureSuccess(new RestResponse(HttpStatusCode.BadRequest, "{\"message\":\"password S3cret!pw is too weak\"}"), "Creating"));
                Assert.DoesNotContain("S3cret!pw", error.Message);
                Assert.Contains("too weak", error.Message);
            }
        }

        [Fact]
        public void DoesNotQuoteAnHtmlErrorPage()
        {
            using (var client = Client(new ScriptedHandler()))
            {
                var error = Assert.Throws<ApplianceException>(() => client.EnsureSuccess(new RestResponse(HttpStatusCode.Unauthorized, "<html><body>401</body></html>"), "Reading"));
                Assert.DoesNotContain("<html>", error.Message);
            }
        }

        private static RestClient Client(HttpMessageHandler handler, RestRetryPolicy policy = null)
            => new RestClient(new Uri("https://appliance.test"), null, policy ?? FastRetry, TimeSpan.FromSeconds(5), null, handler);

        private static HttpResponseMessage Respond(int status, string body, int? retryAfterSeconds = null)
        {
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (retryAfterSeconds.HasValue)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(retryAfterSeconds.Value));
            }

            return response;
        }

        private sealed class ScriptedHandler : HttpMessageHandler
        {
            private readonly Func<HttpRequestMessage, HttpResponseMessage>[] script;
            private int calls;

            internal ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] script)
            {
                this.script = script;
            }

            internal int Calls => Volatile.Read(ref calls);

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                int index = Interlocked.Increment(ref calls) - 1;
                var step = script[Math.Min(index, script.Length - 1)];
                return Task.FromResult(step(request));
            }
        }
    }
}
