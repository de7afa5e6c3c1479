using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;
using Xunit;

namespace RemoteOps.Core.Tests.Hosts
{
    public sealed class HostRunTests
    {
        [Fact]
        public async Task WorkThatFinishesKeepsItsStatusAndIsTimed()
        {
            var result = await HostRun.RunAsync(
                new Probe { ComputerName = "h1" },
                async (r, token) =>
                {
                    await Task.Delay(20, token);
                    r.Status = HostStatus.Succeeded;
                },
                (error, token) => throw new InvalidOperationException("never classified"),
                CancellationToken.None);
            Assert.Equal(HostStatus.Succeeded, result.Status);
            Assert.True(result.Duration >= TimeSpan.FromMilliseconds(15));
            Assert.NotEqual(default(DateTimeOffset), result.StartTime);
        }

        [Fact]
        public async Task WhatTheWorkThrowsBecomesTheClassifiedFailure()
        {
            var thrown = new TimeoutException("slow");
            Exception seen = null;
            var result = await HostRun.RunAsync(
                new Probe { ComputerName = "h1", HostKeyFingerprint = "SHA256:old" },
                (r, token) => throw thrown,
                (error, token) =>
                {
                    seen = error;
                    return new HostFailure(HostStatus.HostKeyMismatch, "h1 changed its key", "re-trust it", "SHA256:new");
                },
                CancellationToken.None);
            Assert.Same(thrown, seen);
            Assert.Equal(HostStatus.HostKeyMismatch, result.Status);
            Assert.Equal("h1 changed its key", result.Message);
            Assert.Equal("re-trust it", result.Remedy);
            Assert.Equal("SHA256:new", result.HostKeyFingerprint);
            Assert.False(result.Succeeded);
        }

        [Fact]
        public async Task AClassifierWithoutAnAnswerStillYieldsAFailedResultNamingTheHost()
        {
            var result = await HostRun.RunAsync(
                new Probe { ComputerName = "h2" },
                (r, token) => throw new InvalidOperationException("odd"),
                (error, token) => null,
                CancellationToken.None);
            Assert.Equal(HostStatus.Failed, result.Status);
            Assert.Contains("h2", result.Message);
            Assert.Contains("odd", result.Message);
        }

        [Fact]
        public void WorkThatNeverRanIsCancelledOnAStopAndFailedOtherwise()
        {
            Assert.Equal(HostStatus.Cancelled, HostRun.Faulted(new Probe(), "h3:22", new OperationCanceledException()).Status);
            var failed = HostRun.Faulted(new Probe(), "h3:22", new InvalidOperationException("boom"));
            Assert.Equal(HostStatus.Failed, failed.Status);
            Assert.Equal("h3:22: boom", failed.Message);
        }

        [Fact]
        public void WorkStillRunningAfterAStopIsCancelledAndSaysItMayStillRun()
        {
            var result = HostRun.Faulted(new Probe(), "h3:22", new WorkStillRunningException(TimeSpan.FromSeconds(0.8)));
            Assert.Equal(HostStatus.Cancelled, result.Status);
            Assert.Contains("h3:22", result.Message);
            Assert.Contains("had not ended 0.8 s later", result.Message);
            Assert.Contains("may still be running", result.Message);
            Assert.DoesNotContain("before it started", result.Message);
        }

        private sealed class Probe : HostResult
        {
        }
    }
}
