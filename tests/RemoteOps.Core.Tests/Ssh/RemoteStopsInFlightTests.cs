using System;
using System.Threading.Tasks;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    /// <summary>The ends of stopped commands that the process waits for when it exits.</summary>
    public sealed class RemoteStopsInFlightTests
    {
        [Fact]
        public void AnEndUnderWayIsWaitedForAndLeavesTheListOnceDone()
        {
            var ending = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            RemoteStopsInFlight.Track(ending.Task);

            Assert.True(RemoteStopsInFlight.IsPending(ending.Task));
            Assert.False(RemoteStopsInFlight.WaitForAll(TimeSpan.FromMilliseconds(50)));

            Task.Run(async () =>
            {
                await Task.Delay(200);
                ending.SetResult(true);
            });
            Assert.True(RemoteStopsInFlight.WaitForAll(TimeSpan.FromSeconds(30)));
            SpinUntil(() => !RemoteStopsInFlight.IsPending(ending.Task));
        }

        [Fact]
        public void AFailedEndCountsAsDoneAndIsNotRethrown()
        {
            var ending = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            RemoteStopsInFlight.Track(ending.Task);
            ending.SetException(new InvalidOperationException("kill channel refused"));

            Assert.True(RemoteStopsInFlight.WaitForAll(TimeSpan.FromSeconds(30)));
            SpinUntil(() => !RemoteStopsInFlight.IsPending(ending.Task));
        }

        [Fact]
        public void ANullEndIsRefused()
            => Assert.Throws<ArgumentNullException>(() => RemoteStopsInFlight.Track(null));

        private static void SpinUntil(Func<bool> condition)
            => Assert.True(System.Threading.SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)));
    }
}
