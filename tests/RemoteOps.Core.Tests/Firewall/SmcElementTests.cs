using System;
using System.Collections;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Drivers;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.Smc;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public sealed class SmcElementTests
    {
        [Theory]
        [InlineData("10.0.0.1", "host", "remoteops-host-10.0.0.1", "address")]
        [InlineData("10.0.0.0/8", "network", "remoteops-net-10.0.0.0_8", "ipv4_network")]
        [InlineData("10.0.0.1-10.0.0.9", "address_range", "remoteops-range-10.0.0.1-10.0.0.9", "ip_range")]
        public void AnAddressMapsToOneElementNamedAfterItsValue(string address, string type, string name, string field)
        {
            SmcElement element = SmcElement.ForAddress("remoteops-", FirewallAddress.Parse(address));

            Assert.Equal(type, element.Type);
            Assert.Equal(name, element.Name);
            Assert.Equal(address, (string)element.Body[field]);
            Assert.DoesNotContain("/", element.Name);
        }

        [Fact]
        public void ASinglePortSetsOnlyTheMinimumAndARangeBoth()
        {
            SmcElement one = SmcElement.ForPorts("ro-", FirewallProtocol.Tcp, FirewallPortRange.Parse("443"));
            SmcElement range = SmcElement.ForPorts("ro-", FirewallProtocol.Udp, FirewallPortRange.Parse("5000-5010"));

            Assert.Equal(("tcp_service", "ro-tcp-443"), (one.Type, one.Name));
            Assert.Null(one.Body["max_dst_port"]);
            Assert.Equal(("udp_service", "ro-udp-5000-5010"), (range.Type, range.Name));
            Assert.Equal(5010, (int)range.Body["max_dst_port"]);
            Assert.Equal("1", (string)SmcElement.ForProtocol("ro-", FirewallProtocol.Icmp).Body["protocol_number"]);
            Assert.Throws<ArgumentException>(() => SmcElement.ForProtocol("ro-", FirewallProtocol.Any));
        }

        [Fact]
        public void AFoundElementKeepsItsValueWhenOnlyItsRepresentationDiffers()
        {
            SmcElement port = SmcElement.ForPorts("ro-", FirewallProtocol.Tcp, FirewallPortRange.Parse("443"));

            Assert.True(port.HasSameValue(new JObject { ["min_dst_port"] = "443", ["max_dst_port"] = "" }));
            Assert.True(port.HasSameValue(new JObject { ["min_dst_port"] = 443, ["max_dst_port"] = 443, ["comment"] = "edited" }));
            Assert.False(port.HasSameValue(new JObject { ["min_dst_port"] = 443, ["max_dst_port"] = 444 }));
            Assert.False(SmcElement.ForAddress("ro-", FirewallAddress.Parse("10.0.0.1")).HasSameValue(new JObject { ["address"] = "10.0.0.2" }));
        }

        [Fact]
        public void TheDriverSettingsAreCheckedBeforeAnythingIsContacted()
        {
            var driver = BuiltInDrivers.Create().Get("ForcepointSmc");

            var options = (SmcOptions)driver.BindSettings(new Hashtable { ["ApiVersion"] = "6.10", ["PolicyName"] = "p", ["EngineName"] = "e" });
            Assert.Equal("remoteops-", options.NamePrefix);
            Assert.Equal("Shared Domain", options.Domain);
            Assert.Contains("'7' is not an SMC API version", Assert.Throws<ArgumentException>(() => driver.BindSettings(new Hashtable { ["ApiVersion"] = "7" })).Message);
            Assert.Contains("'has space' is not a valid name prefix", Assert.Throws<ArgumentException>(() => driver.BindSettings(new Hashtable { ["NamePrefix"] = "has space" })).Message);
            Assert.Contains("between 10 and 3600", Assert.Throws<ArgumentException>(() => driver.BindSettings(new Hashtable { ["UploadTimeoutSeconds"] = 5 })).Message);
        }
    }
}
