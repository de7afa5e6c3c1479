using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.Smc;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    public sealed class SmcRuleFormatTests
    {
        private const string Prefix = "remoteops-";

        private static readonly Dictionary<string, (string, JObject)> Elements = new Dictionary<string, (string, JObject)>
        {
            ["https://smc.test/7.1/elements/host/1"] = ("host", new JObject { ["name"] = "remoteops-host-10.0.0.1", ["address"] = "10.0.0.1" }),
            ["https://smc.test/7.1/elements/network/2"] = ("network", new JObject { ["name"] = "remoteops-net-10.1.0.0_16", ["ipv4_network"] = "10.1.0.0/16" }),
            ["https://smc.test/7.1/elements/address_range/3"] = ("address_range", new JObject { ["name"] = "r", ["ip_range"] = "10.2.0.1-10.2.0.9" }),
            ["https://smc.test/7.1/elements/group/4"] = ("group", new JObject { ["name"] = "remoteops-staff", ["element"] = new JArray() }),
            ["https://smc.test/7.1/elements/group/5"] = ("group", new JObject { ["name"] = "Admins' group" }),
            ["https://smc.test/7.1/elements/tcp_service/6"] = ("tcp_service", new JObject { ["name"] = "remoteops-tcp-443", ["min_dst_port"] = 443, ["max_dst_port"] = "" }),
            ["https://smc.test/7.1/elements/tcp_service/7"] = ("tcp_service", new JObject { ["name"] = "remoteops-tcp-8000-8080", ["min_dst_port"] = 8000, ["max_dst_port"] = 8080 }),
            ["https://smc.test/7.1/elements/udp_service/8"] = ("udp_service", new JObject { ["name"] = "remoteops-udp-53", ["min_dst_port"] = "53" }),
            ["https://smc.test/7.1/elements/ip_service/9"] = ("ip_service", new JObject { ["name"] = "remoteops-proto-1", ["protocol_number"] = "1" }),
        };

        [Theory]
        [InlineData("6.5", false)]
        [InlineData("6.6", true)]
        [InlineData("6.10", true)]
        [InlineData("7.1", true)]
        public void TheActionIsAStringUpToAPI65AndAListFrom66(string version, bool list)
        {
            JObject body = SmcRuleFormat.Build(new FirewallRule { Name = "web", Action = FirewallAction.Reject }, Prefix, new string[0], new string[0], new string[0], SmcRuleFormat.ParseApiVersion(version));

            JToken action = body["action"]["action"];
            Assert.Equal(list ? JTokenType.Array : JTokenType.String, action.Type);
            Assert.Equal("refuse", list ? (string)action[0] : (string)action);
        }

        [Fact]
        public void ARuleIsBuiltAsTheSDKBuildsIt()
        {
            var rule = new FirewallRule { Name = "web", Action = FirewallAction.Drop, Comment = "c", Enabled = false };

            JObject body = SmcRuleFormat.Build(rule, Prefix, new[] { "h1" }, new string[0], new[] { "s1", "s2" }, new Version(7, 1));

            Assert.Equal("remoteops-web", (string)body["name"]);
            Assert.True((bool)body["is_disabled"]);
            Assert.Equal("{\"any\":false,\"src\":[\"h1\"]}", body["sources"].ToString(Newtonsoft.Json.Formatting.None));
            Assert.Equal("{\"any\":true}", body["destinations"].ToString(Newtonsoft.Json.Formatting.None));
            Assert.Equal(new[] { "s1", "s2" }, body["services"]["service"].Select(s => (string)s));
            Assert.Equal("discard", (string)body["action"]["action"][0]);
        }

        [Fact]
        public void ARuleIsReadBackInCanonicalFormWhateverTheActionFormat()
        {
            foreach (JToken action in new JToken[] { new JArray("allow"), "allow" })
            {
                JObject json = Rule("remoteops-web", action,
                    src: new[] { "https://smc.test/7.1/elements/group/4" },
                    dst: new[] { "https://smc.test/7.1/elements/host/1", "https://smc.test/7.1/elements/network/2", "https://smc.test/7.1/elements/address_range/3" },
                    services: new[] { "https://smc.test/7.1/elements/tcp_service/6", "https://smc.test/7.1/elements/tcp_service/7" });

                FirewallRule rule = SmcRuleFormat.Read(json, Prefix, Resolve);

                Assert.Equal("web", rule.Name);
                Assert.Equal(FirewallAction.Accept, rule.Action);
                Assert.Equal(FirewallChain.Forward, rule.Chain);
                Assert.Equal(new[] { "staff" }, rule.Source);
                Assert.Equal(new[] { "10.0.0.1", "10.1.0.0/16", "10.2.0.1-10.2.0.9" }, rule.Destination);
                Assert.Equal(FirewallProtocol.Tcp, rule.Protocol);
                Assert.Equal(new[] { "443", "8000-8080" }, rule.Ports);
                Assert.True(rule.Enabled);
            }
        }

        [Fact]
        public void AWholeProtocolAndAStringPortAreRead()
        {
            Assert.Equal(FirewallProtocol.Icmp, SmcRuleFormat.Read(Rule("remoteops-ping", "allow", services: new[] { "https://smc.test/7.1/elements/ip_service/9" }), Prefix, Resolve).Protocol);
            FirewallRule dns = SmcRuleFormat.Read(Rule("remoteops-dns", "allow", services: new[] { "https://smc.test/7.1/elements/udp_service/8" }), Prefix, Resolve);
            Assert.Equal(FirewallProtocol.Udp, dns.Protocol);
            Assert.Equal(new[] { "53" }, dns.Ports);
        }

        [Fact]
        public void ARuleWithoutThePrefixIsNotRead()
        {
            Assert.Null(SmcRuleFormat.Read(Rule("Allow management", "allow"), Prefix, Resolve));
        }

        [Theory]
        [InlineData("https://smc.test/7.1/elements/group/5", "src group 'Admins' group'")]
        [InlineData("https://smc.test/7.1/elements/host/404", "src host ''")]
        public void AnOwnedRuleRemoteOpsCannotReadComesBackAsUnmanagedSoThePlanReplacesIt(string source, string problem)
        {
            FirewallRule rule = SmcRuleFormat.Read(Rule("remoteops-web", "allow", src: new[] { source }), Prefix, Resolve);

            Assert.Equal("unmanaged-77.1", rule.Name);
            Assert.Contains(problem, rule.Comment);
            Assert.Contains("remoteops-web", rule.Comment);
        }

        [Fact]
        public void AnotherActionOrANoneCellIsNotUnderstood()
        {
            JObject jump = Rule("remoteops-web", new JArray("jump"));
            Assert.StartsWith("unmanaged-", SmcRuleFormat.Read(jump, Prefix, Resolve).Name);
            JObject none = Rule("remoteops-web", "allow");
            none["sources"] = new JObject { ["none"] = true };
            Assert.Contains("src none", SmcRuleFormat.Read(none, Prefix, Resolve).Comment);
        }

        [Fact]
        public void OnlyForwardRulesCanBeWritten()
        {
            var policy = new FirewallPolicy { Rules = { new FirewallRule { Name = "ssh", Chain = FirewallChain.Input } } };

            var error = Assert.Throws<ArgumentException>(() => SmcRuleFormat.CheckSupported(policy));
            Assert.Contains("Rule 'ssh' has Chain Input", error.Message);
            SmcRuleFormat.CheckSupported(new FirewallPolicy { Rules = { new FirewallRule { Name = "web" } } });
        }

        [Theory]
        [InlineData("7")]
        [InlineData("7.1.2")]
        [InlineData("v7.1")]
        [InlineData("")]
        public void AnAPIVersionThatIsNotMajorDotMinorIsRefusedNamingIt(string text)
        {
            var error = Assert.Throws<ArgumentException>(() => SmcRuleFormat.ParseApiVersion(text));
            Assert.Contains($"'{text}' is not an SMC API version", error.Message);
        }

        [Fact]
        public void TheTypeOfAnElementIsReadFromItsHref()
        {
            Assert.Equal("tcp_service", SmcRuleFormat.TypeOf("https://smc.test/6.4/elements/tcp_service/707"));
        }

        private static (string Type, JObject Body) Resolve(string href) =>
            Elements.TryGetValue(href, out (string, JObject) found) ? found : (SmcRuleFormat.TypeOf(href), null);

        private static JObject Rule(string name, JToken action, string[] src = null, string[] dst = null, string[] services = null)
        {
            JObject Cell(string list, string[] hrefs) => hrefs == null ? new JObject { ["any"] = true } : new JObject { ["any"] = false, [list] = new JArray(hrefs) };
            return new JObject
            {
                ["name"] = name,
                ["tag"] = "77.1",
                ["is_disabled"] = false,
                ["sources"] = Cell("src", src),
                ["destinations"] = Cell("dst", dst),
                ["services"] = Cell("service", services),
                ["action"] = new JObject { ["action"] = action },
            };
        }
    }
}
