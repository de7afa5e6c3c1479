using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;
using static RemoteOps.Core.Tests.Vpn.FortiGate.ScriptedFortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    /// <summary>How many requests a REST driver has in flight: its initial bound, and -ThrottleLimit beyond it.</summary>
    public sealed class FortiGateConcurrencyTests
    {
        private const string StatsPath = "/api/v2/monitor/vpn/ssl/stats";

        [Fact]
        public async Task ThirtyTwoRequestsAreInFlightWhenTheThrottleIsThirtyTwo()
        {
            var appliance32 = new InFlight(release: 32);
            var handler = Appliance().On(Get, StatsPath, appliance32.Answer);
            using (var connection = new ApplianceConnection(await OpenAsync(handler)))
            {
                // What VpnUserCmdletBase does with -ThrottleLimit 32.
                connection.AllowConcurrentRequests(32);
                var vpn = connection.Require<RemoteOps.Core.Vpn.IVpnAppliance>(ApplianceCapabilities.VpnCapacity);

                await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => vpn.GetCapacityAsync(CancellationToken.None))));

                Assert.Equal(32, appliance32.Highest);
            }
        }

        [Fact]
        public async Task WithoutAHigherThrottleTheConnectionKeepsItsInitialBoundOfSixteen()
        {
            var appliance = new InFlight(release: 32);
            var handler = Appliance().On(Get, StatsPath, appliance.Answer);
            using (var fortiGate = await OpenAsync(handler))
            {
                await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => fortiGate.GetCapacityAsync(CancellationToken.None))));

                Assert.Equal(16, appliance.Highest);
            }
        }

        [Fact]
        public async Task ALowerThrottleDoesNotLowerTheBound()
        {
            var appliance = new InFlight(release: 24);
            var handler = Appliance().On(Get, StatsPath, appliance.Answer);
            using (var fortiGate = await OpenAsync(handler))
            {
                fortiGate.AllowConcurrentRequests(24);
                fortiGate.AllowConcurrentRequests(4);

                await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => fortiGate.GetCapacityAsync(CancellationToken.None))));

                Assert.Equal(24, appliance.Highest);
            }
        }

        /// <summary>
        /// An appliance that holds each request until <c>release</c> requests are in flight
        /// together (or a second has passed), and remembers the most it saw at once.
        /// </summary>
        private sealed class InFlight
        {
            private readonly int release;
            private readonly TaskCompletionSource<bool> enough = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            private int now;
            private int highest;

            internal InFlight(int release)
            {
                this.release = release;
            }

            internal int Highest => Volatile.Read(ref highest);

            internal async Task<HttpResponseMessage> Answer(RecordedRequest request, CancellationToken token)
            {
                int current = Interlocked.Increment(ref now);
                int seen;
                while ((seen = Volatile.Read(ref highest)) < current && Interlocked.CompareExchange(ref highest, current, seen) != seen)
                {
                }

                if (current >= release)
                {
                    enough.TrySetResult(true);
                }

                await Task.WhenAny(enough.Task, Task.Delay(TimeSpan.FromSeconds(1), token)).ConfigureAwait(false);
                Interlocked.Decrement(ref now);
                return Answers.JsonResponse(200, Envelope(new JObject { ["current"] = new JObject { ["users"] = 1 }, ["max"] = new JObject { ["users"] = 100 } }).ToString());
            }
        }
    }
}
