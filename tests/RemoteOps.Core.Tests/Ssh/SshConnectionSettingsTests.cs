using System;
using System.IO;
using System.Security;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class SshConnectionSettingsTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        [Fact]
        public void TheAccountComesFromTheAddressThenUserNameThenTheCredential()
        {
            var settings = Settings();
            settings.UserName = "ops";
            settings.CredentialUserName = "cred";

            Assert.Equal("ops", settings.Build("gw1", 22).Target.UserName);
            Assert.Equal("admin", settings.Build("admin@gw1", 22).Target.UserName);
            settings.UserName = null;
            Assert.Equal("cred", settings.Build("gw1", 22).Target.UserName);
        }

        [Fact]
        public void ThePortInTheAddressWinsOverTheDefault()
        {
            var endpoint = Settings().Build("gw1:2222", 22);

            Assert.Equal(2222, endpoint.Target.Port);
            Assert.Equal(22, Settings().Build("gw1", 22).Target.Port);
        }

        [Fact]
        public void PinnedWithoutAFingerprintIsRefusedBeforeConnecting()
        {
            var settings = Settings();
            settings.HostKeyPolicy = HostKeyPolicyMode.Pinned;

            var error = Assert.Throws<ArgumentException>(() => settings.Build("gw1", 22));
            Assert.Contains("-HostKeyFingerprint", error.Message);
        }

        [Fact]
        public void FingerprintsPinTheTargetWhileTheBastionIsCheckedAgainstKnownHosts()
        {
            string pin = SshFingerprint.Sha256(TestKeys.FakeBlob());
            var settings = Settings();
            settings.HostKeyFingerprints = new[] { pin };
            settings.JumpHost = "bastion:2200";

            SshEndpoint endpoint = settings.Build("gw1", 22);

            Assert.Equal(HostKeyPolicyMode.Pinned, endpoint.Options.HostKeyVerifier.Policy.Mode);
            Assert.Equal(HostKeyPolicyMode.Strict, endpoint.Options.JumpHostKeyVerifier.Policy.Mode);
            Assert.Equal("bastion", endpoint.Options.JumpHost.Host);
            Assert.Equal(2200, endpoint.Options.JumpHost.Port);
        }

        [Fact]
        public void TheBastionUsesItsOwnCredentialWhenOneIsGiven()
        {
            var settings = Settings();
            settings.UserName = "ops";
            settings.Password = Secret("target-pass");
            settings.JumpHost = "bastion";
            settings.JumpUserName = "jumper";
            settings.JumpPassword = Secret("jump-pass");
            settings.KeyFiles.Add(new SshKeyFile(Path.Combine(temp.Path, "id_ed25519")));

            SshEndpoint endpoint = settings.Build("gw1", 22);

            Assert.Equal("jumper", endpoint.Options.JumpCredentials.UserName);
            Assert.Same(settings.JumpPassword, endpoint.Options.JumpCredentials.Password);
            Assert.Single(endpoint.Options.JumpCredentials.KeyFiles);
            Assert.Equal("ops", endpoint.Credentials.UserName);
            Assert.Same(settings.Password, endpoint.Credentials.Password);
        }

        [Fact]
        public void WithoutABastionCredentialTheBastionGetsTheTargetsSecrets()
        {
            var settings = Settings();
            settings.UserName = "ops";
            settings.Password = Secret("target-pass");
            settings.JumpHost = "jumpuser@bastion";

            SshEndpoint endpoint = settings.Build("gw1", 22);

            Assert.Equal("jumpuser", endpoint.Options.JumpCredentials.UserName);
            Assert.Same(settings.Password, endpoint.Options.JumpCredentials.Password);
        }

        [Theory]
        [InlineData("gw1;reboot")]
        [InlineData("-oProxyCommand=x")]
        public void AHostileAddressIsRefused(string address)
        {
            Assert.Throws<ArgumentException>(() => Settings().Build(address, 22));
        }

        private SshConnectionSettings Settings() => new SshConnectionSettings { KnownHosts = new KnownHostsStore(Path.Combine(temp.Path, "known_hosts")) };

        private static SecureString Secret(string text)
        {
            var secret = new SecureString();
            foreach (char c in text)
            {
                secret.AppendChar(c);
            }

            return secret;
        }
    }
}
