using System.Collections.Generic;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Core.Tests.Firewall
{
    /// <summary>The policy behind the recorded nft output in <see cref="NftablesSamples"/>.</summary>
    internal static class FirewallSamples
    {
        public static FirewallRule Rule(string name, FirewallAction action, FirewallChain chain, string[] source, string[] destination,
            FirewallProtocol protocol, string[] ports, string comment = null, bool enabled = true) => new FirewallRule
            {
                Name = name,
                Action = action,
                Chain = chain,
                Source = new List<string>(source),
                Destination = new List<string>(destination),
                Protocol = protocol,
                Ports = new List<string>(ports),
                Comment = comment,
                Enabled = enabled,
            };

        public static FirewallPolicy Policy() => new FirewallPolicy
        {
            AddressObjects = new List<FirewallAddressObject>
            {
                new FirewallAddressObject { Name = "clients", Addresses = new List<string> { "198.19.240.0/24", "10.1.1.1-10.1.1.9" } },
            },
            Rules = new List<FirewallRule>
            {
                Rule("ssh-in", FirewallAction.Accept, FirewallChain.Input, new[] { "clients" }, new string[0], FirewallProtocol.Tcp, new[] { "22" }, "admins: from the office"),
                Rule("web-in", FirewallAction.Accept, FirewallChain.Forward, new[] { "198.19.240.0/24", "10.2.0.1-10.2.0.5" }, new[] { "198.19.241.2" }, FirewallProtocol.Tcp, new[] { "443", "8000-8010" }),
                Rule("block-8080", FirewallAction.Drop, FirewallChain.Forward, new string[0], new[] { "198.19.241.0/24" }, FirewallProtocol.Tcp, new[] { "8080" }),
                Rule("refuse-8081", FirewallAction.Reject, FirewallChain.Forward, new string[0], new string[0], FirewallProtocol.Tcp, new[] { "8081" }),
                Rule("dns", FirewallAction.Accept, FirewallChain.Forward, new string[0], new string[0], FirewallProtocol.Udp, new[] { "53", "123" }),
                Rule("ping", FirewallAction.Accept, FirewallChain.Forward, new string[0], new string[0], FirewallProtocol.Icmp, new string[0]),
                Rule("udp-any", FirewallAction.Reject, FirewallChain.Forward, new string[0], new[] { "10.0.0.0/8" }, FirewallProtocol.Udp, new string[0], "no UDP there"),
                Rule("last", FirewallAction.Drop, FirewallChain.Forward, new string[0], new string[0], FirewallProtocol.Any, new string[0]),
                Rule("smtp-off", FirewallAction.Accept, FirewallChain.Input, new string[0], new string[0], FirewallProtocol.Tcp, new[] { "25" }, "kept for later", enabled: false),
            },
        };
    }
}
