using System;
using System.Linq;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class SshSessionRegistryTests
    {
        [Fact]
        public void SessionsAreNumberedFromOneAndNamedAfterTheirIdUnlessNamed()
        {
            var registry = new SshSessionRegistry();
            var first = Unopened("198.18.7.11");
            var second = Unopened("198.18.7.12", "web");
            registry.Add(first);
            registry.Add(second);
            registry.Add(first);
            Assert.Equal(1, first.Id);
            Assert.Equal("Session1", first.Name);
            Assert.Equal(2, second.Id);
            Assert.Equal("web", second.Name);
            Assert.Equal(2, registry.Count);
        }

        [Fact]
        public void FindFiltersByIdNameAndHostWithWildcardsInAnyCase()
        {
            var registry = new SshSessionRegistry();
            registry.Add(Unopened("198.18.7.11", "web"));
            registry.Add(Unopened("198.18.7.12", "web"));
            registry.Add(Unopened("db1.corp.example", "db"));
            Assert.Equal(new[] { 1, 2, 3 }, registry.Find().Select(s => s.Id));
            Assert.Equal(new[] { 3, 1 }.OrderBy(i => i), registry.Find(ids: new[] { 3, 1, 9 }).Select(s => s.Id));
            Assert.Equal(new[] { 1, 2 }, registry.Find(names: new[] { "WEB" }).Select(s => s.Id));
            Assert.Equal(new[] { 3 }, registry.Find(computerNames: new[] { "DB*" }).Select(s => s.Id));
            Assert.Equal(new[] { 2 }, registry.Find(computerNames: new[] { "198.18.7.1?" }, ids: new[] { 2, 3 }).Select(s => s.Id));
            Assert.Empty(registry.Find(names: new[] { "web.*" }));
        }

        [Fact]
        public void RemoveClosesTheSessionAndTakesItOffTheList()
        {
            var registry = new SshSessionRegistry();
            var session = Unopened("198.18.7.11");
            registry.Add(session);
            Assert.True(registry.Remove(session));
            Assert.Equal(SshSessionState.Closed, session.State);
            Assert.Empty(registry.Find());
            Assert.False(registry.Remove(session));
        }

        [Fact]
        public void CloseAllClosesEverySessionAndEmptiesTheList()
        {
            var registry = new SshSessionRegistry();
            var sessions = new[] { Unopened("198.18.7.11"), Unopened("198.18.7.12") };
            foreach (var s in sessions)
            {
                registry.Add(s);
            }

            registry.CloseAll();
            Assert.All(sessions, s => Assert.Equal(SshSessionState.Closed, s.State));
            Assert.Equal(0, registry.Count);
        }

        [Fact]
        public void TwoRegistriesShareNothing()
        {
            var one = new SshSessionRegistry();
            var other = new SshSessionRegistry();
            one.Add(Unopened("198.18.7.11"));
            Assert.Empty(other.Find());
            other.Add(Unopened("198.18.7.12"));
            Assert.Equal(1, other.Find().Single().Id);
        }

        [Fact]
        public void ASessionNamesItsHostPortUserIdNameAndStateAndNothingElse()
        {
            var password = new System.Security.SecureString();
            foreach (char c in "s3cret-Passw0rd")
            {
                password.AppendChar(c);
            }

            var credentials = new SshCredentials("ops") { Password = password };
            var session = new HeldSshSession(new SshTarget("fe80::1", 2222, "ops"), credentials, new SshConnectOptions(), "web");
            new SshSessionRegistry().Add(session);
            Assert.Equal("ops@[fe80::1]:2222 (Id 1, web, Opened)", session.ToString());
            string everyProperty = string.Join("|", typeof(HeldSshSession).GetProperties().Select(p => p.Name + "=" + p.GetValue(session)));
            Assert.DoesNotContain("s3cret", everyProperty);
            Assert.DoesNotContain("Credential", everyProperty);
            Assert.DoesNotContain("Password", everyProperty);
        }

        [Fact]
        public void NothingAUserCanReachOnAHeldSessionRunsACommandOrATransfer()
        {
            // Users hold these objects; a command or transfer must go through a cmdlet
            // (ShouldProcess, audit log), never through a method of the session itself.
            var reachable = typeof(HeldSshSession).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static)
                .Where(m => m.DeclaringType == typeof(HeldSshSession) && !m.IsSpecialName)
                .Select(m => m.Name)
                .OrderBy(n => n, StringComparer.Ordinal);

            Assert.Equal(new[] { "Close", "Dispose", "ToString" }, reachable);
            Assert.Equal(new[] { typeof(IDisposable) }, typeof(HeldSshSession).GetInterfaces());
        }

        private static HeldSshSession Unopened(string host, string name = null)
            => new HeldSshSession(new SshTarget(host, 22, "ops"), new SshCredentials("ops"), new SshConnectOptions(), name);
    }
}
