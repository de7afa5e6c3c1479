using System;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class SshCommandStopReportTests
    {
        private static readonly SshTarget Target = SshTarget.Parse("rolab@gw1", 22, "rolab");

        [Fact]
        public void ACommandStillRunningWhenTheStopStoppedWaitingMayStillRunOnTheHost()
        {
            SshCommandResult result = SshHostWork.CommandFaulted(Target, new WorkStillRunningException(TimeSpan.FromSeconds(0.8)));

            Assert.Equal(HostStatus.Cancelled, result.Status);
            Assert.False(result.RemoteStopped);
            Assert.Contains("may still be running", result.Message);
        }

        [Fact]
        public void ACommandStoppedBeforeItStartedSaysNothingAboutTheHost()
        {
            SshCommandResult result = SshHostWork.CommandFaulted(Target, new OperationCanceledException());

            Assert.Equal(HostStatus.Cancelled, result.Status);
            Assert.Null(result.RemoteStopped);
        }

        [Theory]
        [InlineData(HostStatus.Cancelled)]
        [InlineData(HostStatus.TimedOut)]
        public void TheAuditDetailOfAStoppedCommandSaysWhetherItWasEndedOnTheHost(HostStatus status)
        {
            var result = SshCommandResult.ForTarget(Target);
            result.Status = status;
            result.Message = "Work on rolab@gw1:22 was stopped before it finished. Ending the command on the host was started but not confirmed within 0.5 s.";

            Assert.Equal("sleep 300 -- " + result.Message, SshHostWork.AuditDetail("sleep 300", result));
        }

        [Fact]
        public void TheAuditDetailOfAFinishedCommandIsTheCommandLine()
        {
            var result = SshCommandResult.ForTarget(Target);
            result.Status = HostStatus.Failed;
            result.Message = "The command exited with code 1 on rolab@gw1:22.";

            Assert.Equal("false", SshHostWork.AuditDetail("false", result));
        }
    }
}
