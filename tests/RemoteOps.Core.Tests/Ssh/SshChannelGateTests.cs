using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Ssh;
using Renci.SshNet.Common;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class SshChannelGateTests
    {
        // What SSH.NET throws when the server answers SSH_MSG_CHANNEL_OPEN_FAILURE (OpenSSH: MaxSessions reached).
        private static SshException Refused() => new SshException("Failed to open a channel after 1 attempts.");

        [Fact]
        public void TheDefaultStaysBelowOpenSshsDefaultMaxSessions()
        {
            Assert.True(SshChannelGate.DefaultMaxChannels < 10);
            using var gate = new SshChannelGate();
            Assert.Equal(SshChannelGate.DefaultMaxChannels, gate.MaxChannels);
        }

        [Fact]
        public async Task NeverMoreChannelsAtOnceThanTheBoundHoweverManyCommandsWait()
        {
            using var gate = new SshChannelGate(3, 1, (d, t) => Task.CompletedTask);
            int open = 0;
            int most = 0;
            var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = new SemaphoreSlim(0);
            var commands = Enumerable.Range(0, 20).Select(i => gate.RunAsync("h", async token =>
            {
                int now = Interlocked.Increment(ref open);
                InterlockedMax(ref most, now);
                started.Release();
                await release.Task;
                Interlocked.Decrement(ref open);
                return i;
            }, CancellationToken.None)).ToList();

            // Three start; the others wait for a slot instead of opening a channel.
            for (int i = 0; i < 3; i++)
            {
                Assert.True(await started.WaitAsync(TimeSpan.FromSeconds(5)));
            }

            Assert.False(await started.WaitAsync(TimeSpan.FromMilliseconds(200)));
            Assert.Equal(3, Volatile.Read(ref open));
            release.SetResult(true);
            int[] results = await Task.WhenAll(commands);
            Assert.Equal(Enumerable.Range(0, 20), results);
            Assert.Equal(3, most);
        }

        [Fact]
        public async Task ARefusedChannelIsAskedForAgainAfterAGrowingBackOff()
        {
            var waits = new List<TimeSpan>();
            using var gate = new SshChannelGate(2, 6, (d, t) => { waits.Add(d); return Task.CompletedTask; });
            int calls = 0;
            string answer = await gate.RunAsync("h", token =>
            {
                calls++;
                return calls <= 3 ? Task.FromException<string>(Refused()) : Task.FromResult("ran");
            }, CancellationToken.None);
            Assert.Equal("ran", answer);
            Assert.Equal(4, calls);
            Assert.Equal(new[] { 50.0, 100.0, 200.0 }, waits.Select(w => w.TotalMilliseconds));
        }

        [Fact]
        public void TheBackOffIsCappedAtOneSecond()
        {
            Assert.Equal(TimeSpan.FromMilliseconds(50), SshChannelGate.BackOff(1));
            Assert.Equal(TimeSpan.FromMilliseconds(800), SshChannelGate.BackOff(5));
            Assert.Equal(TimeSpan.FromSeconds(1), SshChannelGate.BackOff(6));
            Assert.Equal(TimeSpan.FromSeconds(1), SshChannelGate.BackOff(40));
        }

        [Fact]
        public async Task AChannelRefusedEveryTimeIsReportedAsARefusalNamingTheLimit()
        {
            using var gate = new SshChannelGate(4, 3, (d, t) => Task.CompletedTask);
            int calls = 0;
            var error = await Assert.ThrowsAsync<SshChannelRefusedException>(() => gate.RunAsync<int>("admin@vpn1:22", token =>
            {
                calls++;
                return Task.FromException<int>(Refused());
            }, CancellationToken.None));
            Assert.Equal(3, calls);
            Assert.Equal(3, error.Attempts);
            Assert.Contains("admin@vpn1:22", error.Message);
            Assert.Contains("MaxSessions", error.Message);
            Assert.Contains("at most 4", error.Message);
            Assert.IsType<SshException>(error.InnerException);
        }

        [Fact]
        public async Task OtherFailuresAreNotRetriedAndFreeTheirSlot()
        {
            using var gate = new SshChannelGate(1, 5, (d, t) => Task.CompletedTask);
            int calls = 0;
            await Assert.ThrowsAsync<SshConnectionException>(() => gate.RunAsync<int>("h", token =>
            {
                calls++;
                return Task.FromException<int>(new SshConnectionException("Client not connected."));
            }, CancellationToken.None));
            await Assert.ThrowsAsync<InvalidOperationException>(() => gate.RunAsync<int>("h", token =>
            {
                calls++;
                return Task.FromException<int>(new InvalidOperationException("x"));
            }, CancellationToken.None));
            Assert.Equal(2, calls);
            Assert.Equal(7, await gate.RunAsync("h", token => Task.FromResult(7), CancellationToken.None));
        }

        [Fact]
        public async Task AWaitingCommandCanBeCancelled()
        {
            using var gate = new SshChannelGate(1, 1, (d, t) => Task.CompletedTask);
            var hold = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<int> first = gate.RunAsync("h", token => hold.Task, CancellationToken.None);
            using var cancel = new CancellationTokenSource();
            bool ran = false;
            Task<int> waiting = gate.RunAsync("h", token => { ran = true; return Task.FromResult(1); }, cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            hold.SetResult(5);
            Assert.Equal(5, await first);
            Assert.False(ran);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
