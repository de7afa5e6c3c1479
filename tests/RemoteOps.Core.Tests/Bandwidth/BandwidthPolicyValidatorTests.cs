using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Bandwidth;
using RemoteOps.Core.Firewall;
using Xunit;

namespace RemoteOps.Core.Tests.Bandwidth
{
    public class BandwidthPolicyValidatorTests
    {
        [Fact]
        public void ReturnsTheCanonicalFormWithTheDefaultClassLast()
        {
            var policy = new BandwidthPolicy
            {
                LinkRate = "50mbit",
                Classes =
                {
                    new BandwidthClass { Name = "other", GuaranteedRate = "1500kbit", Default = true },
                    new BandwidthClass { Name = "video", GuaranteedRate = "10mbit", Dscp = { "46", "0x22" }, Destination = { "10.0.0.0-10.0.0.255" } },
                },
            };

            BandwidthPolicy normal = BandwidthPolicyValidator.Normalize(policy);

            Assert.Equal("50Mbit", normal.LinkRate);
            Assert.Equal(new[] { "video", "other" }, normal.Classes.Select(c => c.Name));
            Assert.Equal("50Mbit", normal.Classes[0].CeilingRate);
            Assert.Equal(new[] { "ef", "af41" }, normal.Classes[0].Dscp);
            Assert.Equal(new[] { "10.0.0.0/24" }, normal.Classes[0].Destination);
            Assert.Equal("1500Kbit", normal.Classes[1].GuaranteedRate);
            Assert.Equal(BandwidthPolicyValidator.DefaultPriority, normal.Classes[1].Priority);
            Assert.Equal("other", policy.Classes[0].Name);
        }

        [Fact]
        public void NoClassesIsNoShapingWhateverTheLinkRate() =>
            Assert.Null(BandwidthPolicyValidator.Normalize(new BandwidthPolicy { LinkRate = "nonsense" }).LinkRate);

        [Theory]
        [InlineData("guaranteed rates add up to 61Mbit (vpn 50Mbit + other 11Mbit), more than the LinkRate 50Mbit", "50mbit", null, "11mbit")]
        [InlineData("Class 'vpn': CeilingRate '60mbit' is above the LinkRate 50Mbit", "1mbit", "60mbit", "1mbit")]
        [InlineData("Class 'vpn': GuaranteedRate '20mbit' is above its CeilingRate 10Mbit", "20mbit", "10mbit", "1mbit")]
        [InlineData("Class 'vpn': GuaranteedRate: '20mbps' uses mbps", "20mbps", null, "1mbit")]
        public void RatesAreCheckedAgainstEachOtherAndTheLink(string expected, string guaranteed, string ceiling, string rest)
        {
            var policy = Policy(new BandwidthClass { Name = "vpn", GuaranteedRate = guaranteed, CeilingRate = ceiling, Protocol = FirewallProtocol.Udp, Ports = { "443" } }, rest);

            var error = Assert.Throws<ArgumentException>(() => BandwidthPolicyValidator.Normalize(policy));

            Assert.Contains(expected, error.Message);
        }

        [Theory]
        [InlineData("has no match, so it would take all traffic")]
        public void AClassWithoutAMatchIsRefused(string expected)
        {
            var error = Assert.Throws<ArgumentException>(() => BandwidthPolicyValidator.Normalize(Policy(new BandwidthClass { Name = "vpn", GuaranteedRate = "1mbit" }, "1mbit")));

            Assert.Contains(expected, error.Message);
            Assert.Contains("'vpn'", error.Message);
        }

        [Fact]
        public void ExactlyOneDefaultClassWithoutAMatch()
        {
            var none = new BandwidthPolicy { LinkRate = "10mbit", Classes = { new BandwidthClass { Name = "a", GuaranteedRate = "1mbit", Protocol = FirewallProtocol.Icmp } } };
            Assert.Contains("No class is the Default class", Assert.Throws<ArgumentException>(() => BandwidthPolicyValidator.Normalize(none)).Message);

            var two = Policy(new BandwidthClass { Name = "b", GuaranteedRate = "1mbit", Default = true }, "1mbit");
            Assert.Contains("2 classes are marked Default (b, other)", Assert.Throws<ArgumentException>(() => BandwidthPolicyValidator.Normalize(two)).Message);

            var matching = new BandwidthPolicy { LinkRate = "10mbit", Classes = { new BandwidthClass { Name = "d", GuaranteedRate = "1mbit", Default = true, Source = { "10.0.0.1" } } } };
            Assert.Contains("'d' is the Default class and also has a match (ip saddr 10.0.0.1)", Assert.Throws<ArgumentException>(() => BandwidthPolicyValidator.Normalize(matching)).Message);
        }

        [Theory]
        [InlineData("Ports '443' needs Protocol Tcp or Udp", FirewallProtocol.Any, "443", null, null, 4)]
        [InlineData("Ports: '0' is not a port", FirewallProtocol.Tcp, "0", null, null, 4)]
        [InlineData("Dscp: 'af99' is not a DSCP value", FirewallProtocol.Any, null, "af99", null, 4)]
        [InlineData("Dscp: '46' is the same DSCP value as an earlier entry (ef)", FirewallProtocol.Any, null, "ef,46", null, 4)]
        [InlineData("Source: 'clients' is not an IPv4 address", FirewallProtocol.Any, null, null, "clients", 4)]
        [InlineData("Source: '10.0.0.1/8' has host bits set", FirewallProtocol.Any, null, null, "10.0.0.1/8", 4)]
        [InlineData("Priority 8 is not valid; use 0", FirewallProtocol.Tcp, null, null, null, 8)]
        public void MatchValuesAreCheckedNamingTheClassAndValue(string expected, FirewallProtocol protocol, string port, string dscp, string source, int priority)
        {
            var item = new BandwidthClass { Name = "vpn", GuaranteedRate = "1mbit", Protocol = protocol, Priority = priority };
            if (port != null)
            {
                item.Ports.Add(port);
            }

            foreach (string value in (dscp ?? string.Empty).Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                item.Dscp.Add(value);
            }

            if (source != null)
            {
                item.Source.Add(source);
            }

            var error = Assert.Throws<ArgumentException>(() => BandwidthPolicyValidator.Normalize(Policy(item, "1mbit")));

            Assert.Contains("'vpn'", error.Message);
            Assert.Contains(expected, error.Message);
        }

        [Fact]
        public void NamesMustBeValidAndUnique()
        {
            var bad = Policy(new BandwidthClass { Name = "no spaces", GuaranteedRate = "1mbit", Protocol = FirewallProtocol.Tcp }, "1mbit");
            Assert.Contains("'no spaces' is not a valid class name", Assert.Throws<ArgumentException>(() => BandwidthPolicyValidator.Normalize(bad)).Message);

            var twice = Policy(new BandwidthClass { Name = "other", GuaranteedRate = "1mbit", Protocol = FirewallProtocol.Tcp }, "1mbit");
            Assert.Contains("'other' is used twice", Assert.Throws<ArgumentException>(() => BandwidthPolicyValidator.Normalize(twice)).Message);
        }

        [Fact]
        public void AMissingLinkRateIsNamed()
        {
            var policy = Policy(new BandwidthClass { Name = "a", GuaranteedRate = "1mbit", Protocol = FirewallProtocol.Tcp }, "1mbit");
            policy.LinkRate = null;

            Assert.Contains("LinkRate is missing", Assert.Throws<ArgumentException>(() => BandwidthPolicyValidator.Normalize(policy)).Message);
        }

        private static BandwidthPolicy Policy(BandwidthClass first, string defaultRate) => new BandwidthPolicy
        {
            LinkRate = "50mbit",
            Classes = new List<BandwidthClass> { first, new BandwidthClass { Name = "other", GuaranteedRate = defaultRate, Default = true } },
        };
    }
}
