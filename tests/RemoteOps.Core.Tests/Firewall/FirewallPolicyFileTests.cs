using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Firewall;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public class FirewallPolicyFileTests
    {
        [Fact]
        public void NamesAnUnknownKeyAndItsLine()
        {
            const string json = "{\n  \"rules\": [\n    { \"name\": \"a\",\n      \"acton\": \"Accept\" }\n  ]\n}";
            var error = Assert.Throws<FormatException>(() => FirewallPolicyFile.Parse(json, "fw.json"));

            Assert.StartsWith("fw.json: line 4:", error.Message);
            Assert.Contains("\"acton\"", error.Message);
            Assert.Contains("action", error.Message);
        }

        [Theory]
        [InlineData("{\"rules\": [{\"name\": \"a\", \"enabled\": \"yes\"}]}", "enabled must be true or false")]
        [InlineData("{\"rules\": [{\"name\": \"a\", \"action\": \"Allow\"}]}", "valid values are Accept, Drop, Reject")]
        [InlineData("{\"rules\": [{\"name\": \"a\", \"action\": \"1\"}]}", "valid values are Accept, Drop, Reject")]
        [InlineData("{\"rules\": [{\"action\": \"Drop\"}]}", "has no \"name\"")]
        [InlineData("{\"rules\": {\"name\": \"a\"}}", "rules must be a list of rules")]
        [InlineData("{\"rule\": []}", "unknown key \"rule\"")]
        [InlineData("{\"rules\": [{\"name\": \"a\", \"ports\": [true]}]}", "true is not a string")]
        [InlineData("{\"rules\": [", "not valid JSON")]
        public void RefusesAWrongShape(string json, string expected)
        {
            var error = Assert.Throws<FormatException>(() => FirewallPolicyFile.Parse(json, "p.json"));
            Assert.Contains(expected, error.Message);
            Assert.Contains("line 1", error.Message);
        }

        [Fact]
        public void WritesWhatItReads()
        {
            FirewallPolicy policy = FirewallSamples.Policy();
            FirewallPolicy read = FirewallPolicyFile.Parse(FirewallPolicyFile.Write(policy), "x");

            Assert.True(FirewallPolicyPlanner.Plan(FirewallPolicyValidator.Normalize(read), FirewallPolicyValidator.Normalize(policy)).IsEmpty);
            Assert.Equal(policy.Rules.Select(r => r.Name), read.Rules.Select(r => r.Name));
        }

        [Fact]
        public void TakesPowerShellDataWithKeysInAnyCaseButKeepsObjectNames()
        {
            var data = new Dictionary<string, object>
            {
                ["AddressObjects"] = new Dictionary<string, object> { ["Office"] = new List<object> { "10.0.0.0/8" } },
                ["Rules"] = new List<object>
                {
                    new Dictionary<string, object> { ["Name"] = "a", ["ACTION"] = "drop", ["Ports"] = 443, ["Protocol"] = "Tcp", ["Source"] = "Office" },
                },
            };

            FirewallPolicy policy = FirewallPolicyFile.FromData(data, "p.psd1");

            Assert.Equal("Office", policy.AddressObjects.Single().Name);
            Assert.Equal(FirewallAction.Drop, policy.Rules[0].Action);
            Assert.Equal(new[] { "443" }, policy.Rules[0].Ports);
            FirewallPolicyValidator.Normalize(policy);
        }

        [Fact]
        public void NamesAnUnknownKeyInPowerShellData()
        {
            var data = new Dictionary<string, object> { ["Rules"] = new List<object> { new Dictionary<string, object> { ["Name"] = "a", ["Target"] = "x" } } };
            var error = Assert.Throws<FormatException>(() => FirewallPolicyFile.FromData(data, "p.psd1"));
            Assert.Contains("\"Target\"", error.Message);
        }
    }
}
