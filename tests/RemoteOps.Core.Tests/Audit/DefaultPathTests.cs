using System;
using System.IO;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Ssh.KnownHosts;
using Xunit;

namespace RemoteOps.Core.Tests.Audit
{
    /// <summary>
    /// Changes XDG_* variables of this process; all such tests live in this one class so
    /// that they never run in parallel with each other (nothing else reads these variables).
    /// </summary>
    public sealed class DefaultPathTests
    {
        private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        [Fact]
        public void AuditLogDefaultsToXDGSTATEHOMEOrLocalState()
        {
            WithVariable("XDG_STATE_HOME", "/srv/state", () =>
                Assert.Equal("/srv/state/RemoteOps/audit.jsonl", AuditLog.DefaultPath));
            WithVariable("XDG_STATE_HOME", null, () =>
                Assert.Equal(Path.Combine(Home, ".local", "state", "RemoteOps", "audit.jsonl"), AuditLog.DefaultPath));
            WithVariable("XDG_STATE_HOME", "relative/ignored", () =>
                Assert.Equal(Path.Combine(Home, ".local", "state", "RemoteOps", "audit.jsonl"), AuditLog.DefaultPath));
        }

        [Fact]
        public void KnownHostsStoreDefaultsToXDGCONFIGHOMEOrDotConfig()
        {
            WithVariable("XDG_CONFIG_HOME", "/srv/config", () =>
                Assert.Equal("/srv/config/RemoteOps/known_hosts", KnownHostsStore.DefaultPath));
            WithVariable("XDG_CONFIG_HOME", null, () =>
                Assert.Equal(Path.Combine(Home, ".config", "RemoteOps", "known_hosts"), KnownHostsStore.DefaultPath));
            WithVariable("XDG_CONFIG_HOME", "", () =>
                Assert.Equal(Path.Combine(Home, ".config", "RemoteOps", "known_hosts"), KnownHostsStore.DefaultPath));
        }

        [Fact]
        public void UserOpenSSHKnownHostsIsInDotSsh()
        {
            Assert.Equal(Path.Combine(Home, ".ssh", "known_hosts"), KnownHostsStore.UserOpenSshKnownHostsPath);
        }

        private static void WithVariable(string name, string value, Action action)
        {
            var saved = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
            try
            {
                action();
            }
            finally
            {
                Environment.SetEnvironmentVariable(name, saved);
            }
        }
    }
}
