using System;
using System.Net.Sockets;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using Renci.SshNet.Common;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class SshFailureClassifierTests
    {
        private static readonly SshTarget Target = new SshTarget("198.18.0.11", 22, "ops");

        [Fact]
        public void RefusedCredentialsAreAuthenticationFailed()
        {
            var failure = SshFailureClassifier.ForConnect(Target, new SshAuthenticationException("Permission denied (publickey)."), TimeSpan.FromSeconds(5));
            Assert.Equal(HostStatus.AuthenticationFailed, failure.Status);
            Assert.Contains("ops", failure.Message);
            Assert.Contains("authorized_keys", failure.Remedy);
        }

        [Theory]
        [InlineData(SocketError.ConnectionRefused)]
        [InlineData(SocketError.HostUnreachable)]
        [InlineData(SocketError.NetworkUnreachable)]
        [InlineData(SocketError.HostNotFound)]
        public void SocketErrorsAreUnreachable(SocketError code)
        {
            var failure = SshFailureClassifier.ForConnect(Target, new SocketException((int)code), TimeSpan.FromSeconds(5));
            Assert.Equal(HostStatus.Unreachable, failure.Status);
            Assert.Contains(code.ToString(), failure.Message);
        }

        [Fact]
        public void SocketErrorsWrappedBySshNetAreStillUnreachable()
        {
            var wrapped = new SshConnectionException("Connection failed", new SocketException((int)SocketError.ConnectionRefused));
            Assert.Equal(HostStatus.Unreachable, SshFailureClassifier.ForConnect(Target, wrapped, TimeSpan.FromSeconds(5)).Status);
        }

        [Fact]
        public void AConnectTimeoutIsUnreachableNotTimedOut()
        {
            // TimedOut is reserved for work that ran too long once connected.
            var failure = SshFailureClassifier.ForConnect(Target, new SshOperationTimeoutException("Socket read operation has timed out"), TimeSpan.FromSeconds(3));
            Assert.Equal(HostStatus.Unreachable, failure.Status);
            Assert.Contains("3 s", failure.Message);
            Assert.Equal(HostStatus.Unreachable, SshFailureClassifier.ForConnect(Target, new OperationCanceledException(), TimeSpan.FromSeconds(3)).Status);
        }

        [Fact]
        public void AnAlreadyClassifiedFailurePassesThroughUnchanged()
        {
            var original = new SshFailureException(HostStatus.HostKeyMismatch, "h", "changed");
            Assert.Same(original, SshFailureClassifier.ForConnect(Target, original, TimeSpan.FromSeconds(1)));
        }

        [Fact]
        public void AnythingElseIsFailedWithItsMessage()
        {
            var failure = SshFailureClassifier.ForConnect(Target, new InvalidOperationException("odd"), TimeSpan.FromSeconds(1));
            Assert.Equal(HostStatus.Failed, failure.Status);
            Assert.Contains("odd", failure.Message);
        }
    }
}
