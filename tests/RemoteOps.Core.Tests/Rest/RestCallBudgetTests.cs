using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;
using Xunit;

namespace RemoteOps.Core.Tests.Rest
{
    public sealed class RestCallBudgetTests
    {
        private static readonly RestRetryPolicy FiveAttempts = new RestRetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

        [Fact]
        public async Task InsideTheScopeADroppedConnectionIsNotRetried()
        {
            var refused = new CountingHandler(token => throw new HttpRequestException("Connection refused"));
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FiveAttempts, TimeSpan.FromSeconds(30), null, refused))
            {
                using (RestCallBudget.Limit(1, TimeSpan.FromSeconds(2)))
                {
                    var error = await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None));
                    Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
                }

                Assert.Equal(1, refused.Calls);
            }
        }

        [Fact]
        public async Task OutsideTheScopeTheConnectionKeepsItsOwnRetries()
        {
            var refused = new CountingHandler(token => throw new HttpRequestException("Connection refused"));
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FiveAttempts, TimeSpan.FromSeconds(30), null, refused))
            {
                using (RestCallBudget.Limit(1, TimeSpan.FromSeconds(2)))
                {
                }

                await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None));
                Assert.Equal(5, refused.Calls);
            }
        }

        [Fact]
        public async Task InsideTheScopeARequestThatGetsNoAnswerEndsAtTheScopesTimeOutAsUnreachable()
        {
            var silent = new CountingHandler(async token =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return null;
            });
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FiveAttempts, TimeSpan.FromSeconds(60), null, silent))
            {
                var clock = Stopwatch.StartNew();
                using (RestCallBudget.Limit(1, TimeSpan.FromMilliseconds(300)))
                {
                    var error = await Assert.ThrowsAsync<ApplianceException>(() => client.SendAsync(HttpMethod.Get, "/x", null, CancellationToken.None));
                    Assert.Equal(ApplianceErrorKind.Unreachable, error.Kind);
                    Assert.Contains("no answer within 0.3 s", error.Message, StringComparison.Ordinal);
                }

                Assert.InRange(clock.Elapsed.TotalSeconds, 0.2, 10);
                Assert.Equal(1, silent.Calls);
            }
        }

        [Fact]
        public async Task TheCallersCancellationStaysACancellation()
        {
            var silent = new CountingHandler(async token =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return null;
            });
            using (var client = new RestClient(new Uri("https://appliance.test"), null, FiveAttempts, TimeSpan.FromSeconds(60), null, silent))
            using (var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
            using (RestCallBudget.Limit(1, TimeSpan.FromSeconds(30)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(HttpMethod.Get, "/x", null, stop.Token));
            }
        }

        [Fact]
        public void RefusesABudgetWithoutAttemptsOrTime()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => RestCallBudget.Limit(0, TimeSpan.FromSeconds(1)));
            Assert.Throws<ArgumentOutOfRangeException>(() => RestCallBudget.Limit(1, TimeSpan.Zero));
        }

        private sealed class CountingHandler : HttpMessageHandler
        {
            private readonly Func<CancellationToken, Task<HttpResponseMessage>> answer;
            private int calls;

            internal CountingHandler(Func<CancellationToken, Task<HttpResponseMessage>> answer)
            {
                this.answer = answer;
            }

            internal int Calls => Volatile.Read(ref calls);

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref calls);
                return answer(cancellationToken);
            }
        }
    }
}
