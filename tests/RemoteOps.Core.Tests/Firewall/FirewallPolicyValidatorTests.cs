using System;
using System.Collections.Generic;
using RemoteOps.Core.Firewall;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public class FirewallPolicyValidatorTests
    {
        private static FirewallPolicy With(FirewallRule rule, params FirewallAddressObject[] objects) =>
            new FirewallPolicy { Rules = new List<FirewallRule> { rule }, AddressObjects = new List<FirewallAddressObject>(objects) };

        private static FirewallRule Tcp(string name, string[] source = null, string[] ports = null, FirewallProtocol protocol = FirewallProtocol.Tcp) =>
            FirewallSamples.Rule(name, FirewallAction.Accept, FirewallChain.Forward, source ?? new string[0], new string[0], protocol, ports ?? new string[0]);

        [Theory]
        [InlineData("10.0.0.1/24", "host bits", "10.0.0.0/24")]
        [InlineData("10.0.0.256", "octet 256", null)]
        [InlineData("10.0.0.0/33", "prefix length '33'", null)]
        [InlineData("10.0.0.9-10.0.0.1", "ends before it starts", null)]
        [InlineData("2001:db8::1", "IPv6", null)]
        [InlineData("10.0.0", "not an IPv4 address", null)]
        [InlineData("no-such-object", "not an IPv4 address", null)]
        public void RefusesABadAddressNamingTheRuleAndTheValue(string address, string reason, string hint)
        {
            var error = Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(Tcp("web", new[] { address }))));

            Assert.Contains("Rule 'web'", error.Message);
            Assert.Contains(address, error.Message);
            Assert.Contains(reason, error.Message);
            if (hint != null)
            {
                Assert.Contains(hint, error.Message);
            }
        }

        [Theory]
        [InlineData("0")]
        [InlineData("65536")]
        [InlineData("70000")]
        [InlineData("80-")]
        [InlineData("9000-8000")]
        [InlineData("http")]
        public void RefusesAPortOutOfRange(string port)
        {
            var error = Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(Tcp("web", ports: new[] { port }))));

            Assert.Contains("Rule 'web'", error.Message);
            Assert.Contains(port, error.Message);
        }

        [Fact]
        public void RefusesPortsWithoutTcpOrUdp()
        {
            var error = Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(Tcp("ping", ports: new[] { "7" }, protocol: FirewallProtocol.Icmp))));
            Assert.Contains("Protocol Tcp or Udp", error.Message);
        }

        [Fact]
        public void RefusesAnUnknownObjectNamingTheKnownOnes()
        {
            var known = new FirewallAddressObject { Name = "office", Addresses = new List<string> { "10.0.0.0/8" } };
            var error = Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(Tcp("web", new[] { "clients" }), known)));

            Assert.Contains("'clients' is not a known address object", error.Message);
            Assert.Contains("office", error.Message);
        }

        [Fact]
        public void RefusesAnObjectMixedWithAddresses()
        {
            var known = new FirewallAddressObject { Name = "office", Addresses = new List<string> { "10.0.0.0/8" } };
            var error = Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(Tcp("web", new[] { "office", "192.0.2.1" }), known)));
            Assert.Contains("must be the only entry", error.Message);
        }

        [Theory]
        [InlineData("1web")]
        [InlineData("web in")]
        [InlineData("web:in")]
        [InlineData("web\"in")]
        [InlineData("")]
        [InlineData("unmanaged-forward-7")]
        public void RefusesANameTheFirewallCouldNotKeep(string name)
        {
            var error = Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(Tcp(name))));
            Assert.Contains($"'{name}'", error.Message);
        }

        [Theory]
        [InlineData("say \"hi\"")]
        [InlineData("back\\slash")]
        [InlineData("two\nlines")]
        public void RefusesACommentNftCannotQuote(string comment)
        {
            FirewallRule rule = Tcp("web");
            rule.Comment = comment;
            Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(rule)));
        }

        [Fact]
        public void RefusesNameAndCommentLongerThanNftKeeps()
        {
            FirewallRule rule = Tcp("web");
            rule.Comment = new string('x', 123);
            FirewallPolicyValidator.Normalize(With(rule));
            rule.Comment = new string('x', 124);
            var error = Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(rule)));
            Assert.Contains("129 bytes", error.Message);
        }

        [Fact]
        public void RefusesDuplicateNamesAndOverlaps()
        {
            var policy = new FirewallPolicy { Rules = new List<FirewallRule> { Tcp("a"), Tcp("a") } };
            Assert.Contains("used twice", Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(policy)).Message);
            Assert.Contains("overlaps", Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(Tcp("a", new[] { "10.0.0.0/8", "10.1.2.3" })))).Message);
            Assert.Contains("overlaps", Assert.Throws<ArgumentException>(() => FirewallPolicyValidator.Normalize(With(Tcp("a", ports: new[] { "80-90", "85" })))).Message);
        }

        [Fact]
        public void WritesAddressesAndPortsInTheFormNftPrintsBack()
        {
            FirewallPolicy normal = FirewallPolicyValidator.Normalize(With(Tcp("a", new[] { " 10.0.0.0-10.0.0.255", "192.0.2.7/32", "198.19.0.1-198.19.0.3" }, new[] { "443-443", " 80 " })));

            Assert.Equal(new[] { "10.0.0.0/24", "192.0.2.7", "198.19.0.1-198.19.0.3" }, normal.Rules[0].Source);
            Assert.Equal(new[] { "443", "80" }, normal.Rules[0].Ports);
        }

        [Fact]
        public void LeavesTheInputAlone()
        {
            FirewallRule rule = Tcp("a", new[] { "192.0.2.7/32" });
            FirewallPolicyValidator.Normalize(With(rule));
            Assert.Equal("192.0.2.7/32", rule.Source[0]);
        }
    }
}
