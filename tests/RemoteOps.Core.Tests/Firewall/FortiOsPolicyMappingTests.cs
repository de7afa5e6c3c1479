using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.FortiOs;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public class FortiOsPolicyMappingTests
    {
        [Fact]
        public void WritesANetworkAsAddressAndMask()
        {
            JObject body = FortiOsPolicyMapping.AddressBody("198.18.0.0/24");

            Assert.Equal("ro-198.18.0.0_24", (string)body["name"]);
            Assert.Equal("ipmask", (string)body["type"]);
            Assert.Equal("198.18.0.0/255.255.255.0", (string)body["subnet"]);
            Assert.Equal(FortiOsPolicyMapping.Marker, (string)body["comment"]);
        }

        [Fact]
        public void WritesASingleAddressAsAHostMask()
        {
            Assert.Equal("198.18.3.7/255.255.255.255", (string)FortiOsPolicyMapping.AddressBody("198.18.3.7")["subnet"]);
        }

        [Fact]
        public void WritesARangeThatIsNoNetworkAsAnIpRange()
        {
            JObject body = FortiOsPolicyMapping.AddressBody("198.18.0.5-198.18.0.9");

            Assert.Equal("iprange", (string)body["type"]);
            Assert.Equal("198.18.0.5", (string)body["start-ip"]);
            Assert.Equal("198.18.0.9", (string)body["end-ip"]);
        }

        [Theory]
        [InlineData("ro-198.18.0.0_24", "198.18.0.0/24")]
        [InlineData("ro-198.18.0.5-198.18.0.9", "198.18.0.5-198.18.0.9")]
        [InlineData("ro-10.1.2.3", "10.1.2.3")]
        [InlineData("all", null)]
        [InlineData("ro-not-an-address", null)]
        [InlineData("ro-clients", null)]
        public void ReadsOnlyItsOwnAddressNamesBackAsAddresses(string name, string expected)
        {
            Assert.Equal(expected, FortiOsPolicyMapping.AddressFromObjectName(name));
        }

        [Fact]
        public void NamesOneServicePerPortRangeAndUsesAllForAnyProtocol()
        {
            var tcp = new FirewallRule { Name = "a", Protocol = FirewallProtocol.Tcp, Ports = new List<string> { "443", "8000-8080" } };

            Assert.Equal(new[] { "ro-tcp-443", "ro-tcp-8000-8080" }, FortiOsPolicyMapping.ServiceNames(tcp));
            Assert.Equal(new[] { "ro-udp-all" }, FortiOsPolicyMapping.ServiceNames(new FirewallRule { Name = "b", Protocol = FirewallProtocol.Udp }));
            Assert.Equal(new[] { "ALL" }, FortiOsPolicyMapping.ServiceNames(new FirewallRule { Name = "c" }));
            Assert.Equal("8000-8080", (string)FortiOsPolicyMapping.ServiceBody("ro-tcp-8000-8080")["tcp-portrange"]);
            Assert.Equal("1-65535", (string)FortiOsPolicyMapping.ServiceBody("ro-udp-all")["udp-portrange"]);
            Assert.Equal("ICMP", (string)FortiOsPolicyMapping.ServiceBody("ro-icmp")["protocol"]);
        }

        [Fact]
        public void ReadsServicesBackAsProtocolAndPorts()
        {
            var parsed = FortiOsPolicyMapping.ParseServices(new[] { "ro-tcp-443", "ro-tcp-8000-8080" });

            Assert.Equal(FirewallProtocol.Tcp, parsed.Value.Protocol);
            Assert.Equal(new[] { "443", "8000-8080" }, parsed.Value.Ports);
            Assert.Null(FortiOsPolicyMapping.ParseServices(new[] { "ro-tcp-443", "ro-udp-53" }));
            Assert.Null(FortiOsPolicyMapping.ParseServices(new[] { "HTTPS" }));
        }

        [Fact]
        public void ARejectIsADenyThatAnswersAndReadsBackAsAReject()
        {
            var rule = new FirewallRule { Name = "refuse", Action = FirewallAction.Reject, Protocol = FirewallProtocol.Tcp, Ports = new List<string> { "8081" }, Comment = "why" };
            JObject body = FortiOsPolicyMapping.PolicyBody(rule, new[] { "port1" }, new[] { "any" });

            Assert.Equal("deny", (string)body["action"]);
            Assert.Equal("enable", (string)body["send-deny-packet"]);
            Assert.Equal("[RemoteOps] why", (string)body["comments"]);
            FirewallRule back = FortiOsPolicyMapping.RuleFromPolicy(body, "fgt");
            Assert.Equal(FirewallAction.Reject, back.Action);
            Assert.Empty(FirewallPolicyPlanner.CompareRules(back, FirewallPolicyValidator.NormalizeRule(rule, new FirewallPolicy())));
        }

        [Fact]
        public void AServiceEditedByHandShowsAsADifferenceSoThePlanRewritesIt()
        {
            var rule = new FirewallRule { Name = "web", Protocol = FirewallProtocol.Tcp, Ports = new List<string> { "443" } };
            JObject body = FortiOsPolicyMapping.PolicyBody(rule, new[] { "any" }, new[] { "any" });
            body["service"] = new JArray(new JObject { ["name"] = "HTTPS" });

            FirewallRule back = FortiOsPolicyMapping.RuleFromPolicy(body, "fgt");

            Assert.Contains(FirewallPolicyPlanner.CompareRules(back, rule), c => c.Name == "Protocol" || c.Name == "Ports");
        }

        [Fact]
        public void ComparesListsAsSetsAndNamesTheFieldsThatDiffer()
        {
            var current = JObject.Parse("{\"srcaddr\":[{\"name\":\"b\"},{\"name\":\"a\"}],\"action\":\"accept\",\"status\":\"enable\"}");
            var desired = JObject.Parse("{\"srcaddr\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"action\":\"deny\",\"status\":\"enable\"}");

            Assert.Equal(new[] { "action" }, FortiOsPolicyMapping.DifferingFields(current, desired));
        }

        [Theory]
        [InlineData(new long[] { 1, 2, 3 }, new long[] { 1, 2, 3 }, new long[] { 1, 2, 3 })]
        [InlineData(new long[] { 3, 1, 2 }, new long[] { 1, 2, 3 }, new long[] { 1, 2 })]
        [InlineData(new long[] { 2, 1 }, new long[] { 9, 1, 8, 2 }, new long[] { 2 })]
        public void KeepsTheLongestRunAlreadyInOrderSoFewestPoliciesMove(long[] desired, long[] order, long[] stay)
        {
            Assert.Equal(stay.OrderBy(x => x), FortiOsFirewall.LongestOrderedRun(desired, order).OrderBy(x => x));
        }
    }
}
