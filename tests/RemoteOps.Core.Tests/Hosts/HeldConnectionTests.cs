using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;
using Xunit;

namespace RemoteOps.Core.Tests.Hosts
{
    public sealed class HeldConnectionTests
    {
        [Fact]
        public async Task TheFirstUseOpensAndLaterUsesReuseTheSameConnection()
        {
            var far = new FarEnd();
            using (var held = far.Hold())
            {
                Assert.Equal(HeldConnectionState.NotOpened, held.State);
                using (var first = await held.AcquireAsync(CancellationToken.None))
                {
                    Assert.True(first.Opened);
                    Assert.False(first.Reconnected);
                }

                using (var second = await held.AcquireAsync(CancellationToken.None))
                {
                    Assert.False(second.Opened);
                    Assert.False(second.Reconnected);
                    Assert.Equal(1, second.Connection.Number);
                }

                Assert.Equal(1, far.Opens);
                Assert.Equal(HeldConnectionState.Opened, held.State);
            }
        }

        [Fact]
        public async Task ADroppedConnectionIsReopenedOnceThroughTheSameOpenerAndSaysSo()
        {
            var far = new FarEnd();
            using (var held = far.Hold())
            {
                await held.OpenAsync(CancellationToken.None);
                far.DropAll();
                using (var lease = await held.AcquireAsync(CancellationToken.None))
                {
                    Assert.True(lease.Reconnected);
                    Assert.True(lease.Opened);
                    Assert.Equal(2, lease.Connection.Number);
                }

                using (var next = await held.AcquireAsync(CancellationToken.None))
                {
                    Assert.False(next.Reconnected);
                }

                Assert.Equal(2, far.Opens);
                Assert.Equal(1, far.Closes);
            }
        }

        [Fact]
        public async Task AFailedReconnectBreaksTheConnectionAndEveryLaterUseSaysWhy()
        {
            var far = new FarEnd();
            using (var held = far.Hold())
            {
                await held.OpenAsync(CancellationToken.None);
                far.DropAll();
                far.Refusal = new InvalidOperationException("host key changed");
                var first = await Assert.ThrowsAsync<HeldConnectionBrokenException>(() => held.AcquireAsync(CancellationToken.None));
                Assert.True(first.JustBroken);
                Assert.Same(far.Refusal, first.InnerException);
                Assert.Equal(HeldConnectionState.Broken, held.State);

                // Never tried again: a later use does not get a connection the first check refused.
                far.Refusal = null;
                var later = await Assert.ThrowsAsync<HeldConnectionBrokenException>(() => held.AcquireAsync(CancellationToken.None));
                Assert.False(later.JustBroken);
                Assert.Equal("host key changed", later.InnerException.Message);
                Assert.Equal(2, far.Attempts);
            }
        }

        [Fact]
        public async Task AFailedFirstOpenThrowsTheOpenersFailureAndLeavesItUnopened()
        {
            var far = new FarEnd { Refusal = new TimeoutException("no route") };
            using (var held = far.Hold())
            {
                await Assert.ThrowsAsync<TimeoutException>(() => held.OpenAsync(CancellationToken.None));
                Assert.Equal(HeldConnectionState.NotOpened, held.State);
            }
        }

        [Fact]
        public async Task AReconnectStoppedByTheCallerBreaksNothing()
        {
            var far = new FarEnd();
            using (var held = far.Hold())
            using (var stop = new CancellationTokenSource())
            {
                await held.OpenAsync(CancellationToken.None);
                far.DropAll();
                far.OpenDelay = TimeSpan.FromSeconds(30);
                Task<HeldConnection<FarEnd.Connection>.Lease> waiting = held.AcquireAsync(stop.Token);
                stop.CancelAfter(50);
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
                Assert.Equal(HeldConnectionState.Opened, held.State);

                far.OpenDelay = TimeSpan.Zero;
                using (var lease = await held.AcquireAsync(CancellationToken.None))
                {
                    Assert.True(lease.Reconnected);
                }
            }
        }

        [Fact]
        public async Task ConcurrentUsersTakeTurnsOnTheConnectionInsteadOfFailing()
        {
            var far = new FarEnd();
            int inUse = 0;
            int peak = 0;
            using (var held = far.Hold())
            {
                Task[] users = Enumerable.Range(0, 25).Select(_ => Task.Run(async () =>
                {
                    using (await held.AcquireAsync(CancellationToken.None))
                    {
                        int now = Interlocked.Increment(ref inUse);
                        InterlockedMax(ref peak, now);
                        await Task.Delay(2);
                        Interlocked.Decrement(ref inUse);
                    }
                })).ToArray();
                await Task.WhenAll(users);
            }

            Assert.Equal(1, peak);
            Assert.Equal(1, far.Opens);
        }

        [Fact]
        public async Task CloseClosesTheConnectionAndRefusesLaterUses()
        {
            var far = new FarEnd();
            var held = far.Hold();
            await held.OpenAsync(CancellationToken.None);
            held.Close();
            Assert.Equal(HeldConnectionState.Closed, held.State);
            Assert.Equal(1, far.Closes);
            await Assert.ThrowsAsync<HeldConnectionClosedException>(() => held.AcquireAsync(CancellationToken.None));
            held.Close();
            Assert.Equal(1, far.Closes);
        }

        [Fact]
        public async Task CloseWhileLentOutClosesAtOnceAndTheWaitingUserIsRefused()
        {
            var far = new FarEnd();
            var held = far.Hold();
            var lease = await held.AcquireAsync(CancellationToken.None);
            Task<HeldConnection<FarEnd.Connection>.Lease> waiting = held.AcquireAsync(CancellationToken.None);
            held.Close();
            Assert.False(lease.Connection.Alive);
            lease.Dispose();
            await Assert.ThrowsAsync<HeldConnectionClosedException>(() => waiting);
        }

        [Fact]
        public async Task DisposingALeaseTwiceHandsTheConnectionOnOnlyOnce()
        {
            var far = new FarEnd();
            using (var held = far.Hold())
            {
                var lease = await held.AcquireAsync(CancellationToken.None);
                lease.Dispose();
                lease.Dispose();
                using (await held.AcquireAsync(CancellationToken.None))
                {
                    Task<HeldConnection<FarEnd.Connection>.Lease> second = held.AcquireAsync(CancellationToken.None);
                    await Task.Delay(50);
                    Assert.False(second.IsCompleted);
                }
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }

        /// <summary>The far end of held connections: counts opens and closes, can drop or refuse.</summary>
        private sealed class FarEnd
        {
            private readonly List<Connection> open = new List<Connection>();

            internal int Opens;
            internal int Attempts;
            internal int Closes;
            internal Exception Refusal;
            internal TimeSpan OpenDelay = TimeSpan.Zero;

            internal HeldConnection<Connection> Hold() => new HeldConnection<Connection>(OpenAsync, c => c.Alive, c =>
            {
                Interlocked.Increment(ref Closes);
                c.Alive = false;
            });

            internal void DropAll()
            {
                lock (open)
                {
                    open.ForEach(c => c.Alive = false);
                }
            }

            private async Task<Connection> OpenAsync(CancellationToken token)
            {
                Interlocked.Increment(ref Attempts);
                if (OpenDelay > TimeSpan.Zero)
                {
                    await Task.Delay(OpenDelay, token);
                }

                if (Refusal != null)
                {
                    throw Refusal;
                }

                var connection = new Connection { Number = Interlocked.Increment(ref Opens), Alive = true };
                lock (open)
                {
                    open.Add(connection);
                }

                return connection;
            }

            internal sealed class Connection
            {
                internal int Number;
                internal volatile bool Alive;
            }
        }
    }
}
