using System;
using System.IO;
using System.Threading;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using Renci.SshNet.Common;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class SshWorkFailureTests
    {
        private static readonly SshTarget Target = new SshTarget("198.18.7.11", 22, "ops");

        [Fact]
        public void AClassifiedConnectFailureKeepsItsStatusRemedyAndFingerprint()
        {
            var refused = new SshFailureException(HostStatus.HostKeyMismatch, Target.Host, "key changed", "re-trust") { PresentedFingerprint = "SHA256:new" };
            HostFailure failure = SshFailureClassifier.ForWork(Target, refused, CancellationToken.None);
            Assert.Equal(HostStatus.HostKeyMismatch, failure.Status);
            Assert.Equal("key changed", failure.Message);
            Assert.Equal("re-trust", failure.Remedy);
            Assert.Equal("SHA256:new", failure.PresentedFingerprint);
        }

        [Theory]
        [InlineData(true, "could not be reconnected")]
        [InlineData(false, "is broken")]
        public void ABrokenHeldSessionKeepsTheClassificationOfWhatBrokeIt(bool justBroken, string wording)
        {
            var refused = new SshFailureException(HostStatus.HostKeyMismatch, Target.Host, "The host key of 198.18.7.11 changed.", "Check it.") { PresentedFingerprint = "SHA256:new" };
            HostFailure failure = SshFailureClassifier.ForWork(Target, new HeldConnectionBrokenException(refused, justBroken), CancellationToken.None);
            Assert.Equal(HostStatus.HostKeyMismatch, failure.Status);
            Assert.Contains(wording, failure.Message);
            Assert.Contains("The host key of 198.18.7.11 changed.", failure.Message);
            Assert.Equal("SHA256:new", failure.PresentedFingerprint);
            Assert.StartsWith("Check it. Then remove the session with Remove-RoSshSession", failure.Remedy);
        }

        [Fact]
        public void ASessionBrokenByAnUnclassifiedFailureIsFailedAndSaysWhatToDo()
        {
            HostFailure failure = SshFailureClassifier.ForWork(Target, new HeldConnectionBrokenException(new InvalidOperationException("odd"), true), CancellationToken.None);
            Assert.Equal(HostStatus.Failed, failure.Status);
            Assert.Contains("odd", failure.Message);
            Assert.Equal("Remove the session with Remove-RoSshSession and open a new one with New-RoSshSession.", failure.Remedy);
        }

        [Fact]
        public void AClosedSessionIsFailedAndPointsToNewRoSshSession()
        {
            HostFailure failure = SshFailureClassifier.ForWork(Target, new HeldConnectionClosedException("closed"), CancellationToken.None);
            Assert.Equal(HostStatus.Failed, failure.Status);
            Assert.Contains("198.18.7.11", failure.Message);
            Assert.Contains("New-RoSshSession", failure.Remedy);
        }

        [Fact]
        public void AStopTheCallerDidNotAskForIsTheTimeLimitWhenThereIsOne()
        {
            HostFailure timedOut = SshFailureClassifier.ForWork(Target, new OperationCanceledException(), CancellationToken.None, TimeSpan.FromSeconds(7), "transfer");
            Assert.Equal(HostStatus.TimedOut, timedOut.Status);
            Assert.Contains("transfer", timedOut.Message);
            Assert.Contains("7 s", timedOut.Message);

            Assert.Equal(HostStatus.Cancelled, SshFailureClassifier.ForWork(Target, new OperationCanceledException(), CancellationToken.None).Status);
            using (var stopped = new CancellationTokenSource())
            {
                stopped.Cancel();
                Assert.Equal(HostStatus.Cancelled, SshFailureClassifier.ForWork(Target, new OperationCanceledException(), stopped.Token, TimeSpan.FromSeconds(7)).Status);
            }
        }

        [Fact]
        public void RemoteFileErrorsAreFailedWithARemedy()
        {
            HostFailure missing = SshFailureClassifier.ForWork(Target, new SftpPathNotFoundException("No such file"), CancellationToken.None);
            Assert.Equal(HostStatus.Failed, missing.Status);
            Assert.Equal("Check the remote path.", missing.Remedy);
            HostFailure denied = SshFailureClassifier.ForWork(Target, new SftpPermissionDeniedException("Permission denied"), CancellationToken.None);
            Assert.Contains("permission denied", denied.Message);
            Assert.Equal(HostStatus.Failed, SshFailureClassifier.ForWork(Target, new IOException("disk full"), CancellationToken.None).Status);
        }

        [Fact]
        public void AConnectionDroppedDuringTheWorkIsUnreachable()
        {
            HostFailure failure = SshFailureClassifier.ForWork(Target, new SshConnectionException("Client not connected."), CancellationToken.None);
            Assert.Equal(HostStatus.Unreachable, failure.Status);
            Assert.Contains("reconnects", failure.Remedy);
        }
    }
}
