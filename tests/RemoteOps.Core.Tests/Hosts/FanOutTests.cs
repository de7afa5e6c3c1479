using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;
using Xunit;

namespace RemoteOps.Core.Tests.Hosts
{
    public sealed class FanOutTests
    {
        [Fact]
        public void NeverRunsMoreThanTheThrottleLimitAtOnce()
        {
            int running = 0;
            int peak = 0;
            using (var fanOut = new FanOut<int>(throttleLimit: 4))
            {
                for (int i = 0; i < 40; i++)
                {
                    int id = i;
                    fanOut.Add(
                        async token =>
                        {
                            int now = Interlocked.Increment(ref running);
                            InterlockedMax(ref peak, now);
                            await Task.Delay(10, token);
                            Interlocked.Decrement(ref running);
                            return id;
                        },
                        error => -1);
                }

                fanOut.Complete();
                var results = fanOut.TakeRemaining().ToList();
                Assert.Equal(Enumerable.Range(0, 40), results.OrderBy(r => r));
            }

            Assert.InRange(peak, 2, 4);
        }

        [Fact]
        public void HandsOverEachResultAsSoonAsItIsReadyNotAtTheEnd()
        {
            using (var release = new ManualResetEventSlim(false))
            using (var fanOut = new FanOut<string>(throttleLimit: 8))
            {
                fanOut.Add(token => Task.FromResult("fast"), error => "fault");
                fanOut.Add(token => Task.Run(() => { release.Wait(token); return "slow"; }), error => "fault");

                Assert.True(fanOut.TryTake(out string first, TimeSpan.FromSeconds(10)));
                Assert.Equal("fast", first);
                Assert.False(fanOut.TryTake(out _), "the slow host must still be running");

                release.Set();
                fanOut.Complete();
                Assert.Equal(new[] { "slow" }, fanOut.TakeRemaining().ToArray());
                Assert.True(fanOut.IsDrained);
            }
        }

        [Fact]
        public void TurnsAThrowingPieceOfWorkIntoItsFaultResultAndKeepsTheOthers()
        {
            using (var fanOut = new FanOut<string>(throttleLimit: 2))
            {
                fanOut.Add(token => throw new InvalidOperationException("boom"), error => "fault:" + error.Message);
                fanOut.Add(token => Task.FromResult("ok"), error => "unexpected");
                fanOut.Complete();
                var results = fanOut.TakeRemaining().OrderBy(r => r).ToArray();
                Assert.Equal(new[] { "fault:boom", "ok" }, results);
            }
        }

        [Fact]
        public void StopCancelsRunningWorkAndNeverStartsWaitingWork()
        {
            int started = 0;
            using (var fanOut = new FanOut<string>(throttleLimit: 1))
            {
                for (int i = 0; i < 5; i++)
                {
                    fanOut.Add(
                        async token =>
                        {
                            Interlocked.Increment(ref started);
                            await Task.Delay(Timeout.Infinite, token);
                            return "finished";
                        },
                        error => error is OperationCanceledException ? "cancelled" : "fault");
                }

                fanOut.Complete();
                SpinWait.SpinUntil(() => Volatile.Read(ref started) == 1, TimeSpan.FromSeconds(10));
                fanOut.Stop();
                var results = fanOut.TakeRemaining().ToList();
                Assert.Equal(5, results.Count);
                Assert.All(results, r => Assert.Equal("cancelled", r));
            }

            Assert.Equal(1, started);
        }

        [Fact]
        public void DisposeStopsRunningWorkAndWaitsForItToEnd()
        {
            int ended = 0;
            var fanOut = new FanOut<int>(throttleLimit: 2);
            for (int i = 0; i < 2; i++)
            {
                fanOut.Add(
                    async token =>
                    {
                        try
                        {
                            await Task.Delay(Timeout.Infinite, token);
                            return 0;
                        }
                        finally
                        {
                            await Task.Delay(50, CancellationToken.None);
                            Interlocked.Increment(ref ended);
                        }
                    },
                    error => -1);
            }

            SpinWait.SpinUntil(() => false, 100);
            fanOut.Dispose();
            Assert.Equal(2, Volatile.Read(ref ended));
        }

        [Fact]
        public void RefusesToHandOverResultsOnAnotherThread()
        {
            using (var fanOut = new FanOut<int>(throttleLimit: 1))
            {
                fanOut.Add(token => Task.FromResult(1), error => -1);
                fanOut.Complete();
                // A thread of its own: Task.Result could run a not-yet-started task inline on this thread.
                Exception error = null;
                var other = new Thread(() => error = Record.Exception(() => fanOut.TryTake(out _)));
                other.Start();
                other.Join();
                Assert.IsType<InvalidOperationException>(error);
                Assert.Contains("thread", error.Message);
                Assert.Equal(new[] { 1 }, fanOut.TakeRemaining().ToArray());
            }
        }

        [Fact]
        public void TakeRemainingBeforeCompleteIsRefusedRatherThanWaitingForever()
        {
            using (var fanOut = new FanOut<int>(throttleLimit: 1))
            {
                Assert.Throws<InvalidOperationException>(() => fanOut.TakeRemaining().ToList());
            }
        }

        [Fact]
        public void StopAndCollectReturnsResultsFinishedOrCutShortAfterTheConsumerStoppedReading()
        {
            using (var fanOut = new FanOut<string>(throttleLimit: 4))
            {
                fanOut.Add(token => Task.FromResult("quick"), error => "faulted");
                fanOut.Add(async token => { await Task.Delay(TimeSpan.FromSeconds(30), token); return "slow"; }, error => "cancelled");
                fanOut.Add(token => Task.FromResult("also quick"), error => "faulted");
                SpinWait.SpinUntil(() => fanOut.Finished >= 2, TimeSpan.FromSeconds(5));
                Assert.True(fanOut.TryTake(out var first));

                var rest = fanOut.StopAndCollect(TimeSpan.FromSeconds(5));

                Assert.Equal(
                    new[] { "also quick", "cancelled", "quick" }.Where(r => r != first).OrderBy(r => r),
                    rest.OrderBy(r => r));
            }
        }

        [Fact]
        public void StopAndCollectReportsWorkStillRunningAfterTheWaitInsteadOfDroppingIt()
        {
            var release = new ManualResetEventSlim(false);
            var blocking = new ManualResetEventSlim(false);
            using (var fanOut = new FanOut<string>(throttleLimit: 4))
            {
                fanOut.Add(token => Task.FromResult("quick"), error => "faulted");

                // Work that does not notice the stop (a blocking call on a host that stopped answering).
                // It must have started before the stop: work stopped before it starts is cancelled, not still running.
                fanOut.Add(token => Task.Run(() => { blocking.Set(); release.Wait(TimeSpan.FromSeconds(30)); return "late"; }), error => error is WorkStillRunningException ? "still running" : "other: " + error.GetType().Name);
                Assert.True(SpinWait.SpinUntil(() => fanOut.Finished >= 1, TimeSpan.FromSeconds(30)));
                Assert.True(blocking.Wait(TimeSpan.FromSeconds(30)));

                var clock = System.Diagnostics.Stopwatch.StartNew();
                var rest = fanOut.StopAndCollect(TimeSpan.FromMilliseconds(300));
                clock.Stop();

                Assert.Equal(new[] { "quick", "still running" }, rest.OrderBy(r => r));
                Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
                Assert.True(fanOut.IsDrained || fanOut.Finished == fanOut.Total);

                // The late result is not given out a second time.
                release.Set();
                Thread.Sleep(200);
                Assert.False(fanOut.TryTake(out _));
                Assert.Equal(2, fanOut.Finished);
            }
        }

        [Fact]
        public void StopAndCollectGivesTheWorkItsOwnResultWhenItEndsWithinTheWait()
        {
            var started = new ManualResetEventSlim(false);
            using (var fanOut = new FanOut<string>(throttleLimit: 2))
            {
                fanOut.Add(
                    async token =>
                    {
                        try
                        {
                            started.Set();
                            await Task.Delay(Timeout.Infinite, token);
                            return "finished";
                        }
                        catch (OperationCanceledException)
                        {
                            await Task.Delay(100, CancellationToken.None);
                            return "ended on the host";
                        }
                    },
                    error => "faulted: " + error.GetType().Name);
                Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

                Assert.Equal(new[] { "ended on the host" }, fanOut.StopAndCollect(TimeSpan.FromSeconds(5)));
            }
        }

        [Fact]
        public void DisposeWaitsForStoppedWorkAtMostTheStopWait()
        {
            var release = new ManualResetEventSlim(false);
            var started = new ManualResetEventSlim(false);
            var fanOut = new FanOut<int>(throttleLimit: 2);
            fanOut.Add(token => Task.Run(() => { started.Set(); release.Wait(TimeSpan.FromSeconds(30)); return 1; }), error => -1);
            Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

            var clock = System.Diagnostics.Stopwatch.StartNew();
            fanOut.Dispose();
            clock.Stop();
            release.Set();

            Assert.InRange(clock.Elapsed, FanOut<int>.DefaultStopWait - TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(3));
            Assert.True(FanOut<int>.DefaultStopWait <= TimeSpan.FromSeconds(1), "A stop must give the pipeline back within about a second.");
        }

        [Fact]
        public void DisposeAfterStopAndCollectDoesNotWaitAgainForWorkAlreadyReported()
        {
            var release = new ManualResetEventSlim(false);
            var started = new ManualResetEventSlim(false);
            var fanOut = new FanOut<int>(throttleLimit: 2);
            fanOut.Add(token => Task.Run(() => { started.Set(); release.Wait(TimeSpan.FromSeconds(30)); return 1; }), error => -1);
            Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
            Assert.Equal(new[] { -1 }, fanOut.StopAndCollect(TimeSpan.FromMilliseconds(100)));

            var clock = System.Diagnostics.Stopwatch.StartNew();
            fanOut.Dispose();
            clock.Stop();
            release.Set();

            Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(400), $"Dispose waited {clock.Elapsed.TotalMilliseconds:0} ms for work already reported as still running.");
        }

        [Fact]
        public void CountsTotalAndFinished()
        {
            using (var fanOut = new FanOut<int>(throttleLimit: 3))
            {
                for (int i = 0; i < 6; i++)
                {
                    fanOut.Add(token => Task.FromResult(0), error => -1);
                }

                fanOut.Complete();
                Assert.Equal(6, fanOut.TakeRemaining().Count());
                Assert.Equal(6, fanOut.Total);
                Assert.Equal(6, fanOut.Finished);
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(1025)]
        public void RejectsAThrottleLimitOutOfRange(int limit)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FanOut<int>(limit));
            Assert.Contains("between 1 and 1024", error.Message);
        }

        [Fact]
        public void CompletesImmediatelyWithNoWork()
        {
            using (var fanOut = new FanOut<int>(throttleLimit: 2))
            {
                fanOut.Complete();
                Assert.Empty(fanOut.TakeRemaining());
                Assert.True(fanOut.IsDrained);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
