using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Bandwidth;
using RemoteOps.Core.Firewall;
using Xunit;

namespace RemoteOps.Core.Tests.Bandwidth
{
    public class BandwidthPolicyFileTests
    {
        [Fact]
        public void ReadsEveryKey()
        {
            BandwidthPolicy policy = BandwidthPolicyFile.Parse(LinuxTcSamples.PolicyJson, "sample.json");

            Assert.Equal("50mbit", policy.LinkRate);
            Assert.Equal(new[] { "vpn", "video", "updates", "other" }, policy.Classes.Select(c => c.Name));
            BandwidthClass updates = policy.Classes[2];
            Assert.Equal("2mbit", updates.GuaranteedRate);
            Assert.Equal("10mbit", updates.CeilingRate);
            Assert.Equal(6, updates.Priority);
            Assert.Equal(FirewallProtocol.Tcp, updates.Protocol);
            Assert.Equal(new[] { "80", "443", "8000-8080" }, updates.SourcePorts);
            Assert.Equal(new[] { "192.0.2.0/24", "198.51.100.7" }, updates.Source);
            Assert.True(policy.Classes[3].Default);
        }

        [Theory]
        [InlineData("{\n  \"linkRate\": \"1mbit\",\n  \"clases\": []\n}", "line 3: unknown key \"clases\" in the top level")]
        [InlineData("{\n  \"classes\": [\n    { \"name\": \"a\",\n      \"ceiling\": \"1mbit\" }\n  ]\n}", "line 4: unknown key \"ceiling\" in classes[1]")]
        [InlineData("{ \"classes\": [ { \"name\": \"a\", \"priority\": \"high\" } ] }", "class 'a': priority must be a whole number 0-7, not \"high\"")]
        [InlineData("{ \"classes\": [ { \"name\": \"a\", \"default\": \"yes\" } ] }", "class 'a': default must be true or false")]
        [InlineData("{ \"classes\": [ { \"name\": \"a\", \"protocol\": \"gre\" } ] }", "class 'a': protocol is \"gre\"; valid values are Any, Tcp, Udp, Icmp")]
        [InlineData("{ \"classes\": [ { \"guaranteedRate\": \"1mbit\" } ] }", "classes[1] has no \"name\"")]
        [InlineData("{ \"classes\": { } }", "classes must be a list of classes")]
        [InlineData("{ \"linkRate\": 50 }", "linkRate must be a string, not 50")]
        [InlineData("{ \"linkRate\": ", "not valid JSON")]
        public void NamesTheBadKeyAndItsLine(string json, string expected)
        {
            var error = Assert.Throws<FormatException>(() => BandwidthPolicyFile.Parse(json, "shaping.json"));

            Assert.StartsWith("shaping.json: ", error.Message);
            Assert.Contains(expected, error.Message);
        }

        [Fact]
        public void PowerShellDataMatchesKeysInAnyCase()
        {
            var data = new Dictionary<string, object>
            {
                ["LINKRATE"] = "10mbit",
                ["Classes"] = new List<object>
                {
                    new Dictionary<string, object> { ["Name"] = "vpn", ["GuaranteedRate"] = "1mbit", ["Protocol"] = "udp", ["Ports"] = 443, ["Priority"] = 1 },
                    new Dictionary<string, object> { ["name"] = "other", ["guaranteedrate"] = "1mbit", ["DEFAULT"] = true },
                },
            };

            BandwidthPolicy policy = BandwidthPolicyFile.FromData(data, "shaping.psd1");

            Assert.Equal("10mbit", policy.LinkRate);
            Assert.Equal(FirewallProtocol.Udp, policy.Classes[0].Protocol);
            Assert.Equal(new[] { "443" }, policy.Classes[0].Ports);
            Assert.Equal(1, policy.Classes[0].Priority);
            Assert.True(policy.Classes[1].Default);

            data["Classes"] = new List<object> { new Dictionary<string, object> { ["Name"] = "x", ["Rate"] = "1mbit" } };
            Assert.Contains("unknown key \"Rate\" in classes[1]", Assert.Throws<FormatException>(() => BandwidthPolicyFile.FromData(data, "shaping.psd1")).Message);
        }

        [Fact]
        public void WhatIsWrittenReadsBackTheSame()
        {
            BandwidthPolicy normal = BandwidthPolicyValidator.Normalize(BandwidthPolicyFile.Parse(LinuxTcSamples.PolicyJson, "sample.json"));

            BandwidthPolicy again = BandwidthPolicyValidator.Normalize(BandwidthPolicyFile.Parse(BandwidthPolicyFile.Write(normal), "written.json"));

            Assert.Equal(BandwidthPolicyFile.Write(normal), BandwidthPolicyFile.Write(again));
            Assert.Equal(normal.Classes.Count, again.Classes.Count);
            Assert.All(normal.Classes.Zip(again.Classes, (a, b) => BandwidthPolicyPlanner.CompareClasses(a, b)), Assert.Empty);
        }
    }
}
