using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// One firewall rule as RemoteOps manages it, the same for every firewall driver. Rules are
    /// checked in order; the first one that matches decides. An empty Source, Destination or
    /// Ports list matches anything.
    /// </summary>
    public sealed class FirewallRule
    {
        /// <summary>The rule's identity, unique in a policy: letters, digits, '_', '-' and '.', starting with a letter, at most 64 characters.</summary>
        public string Name { get; set; }

        /// <summary>What happens to matching packets.</summary>
        public FirewallAction Action { get; set; } = FirewallAction.Accept;

        /// <summary>Traffic to the firewall itself (Input) or through it (Forward).</summary>
        public FirewallChain Chain { get; set; } = FirewallChain.Forward;

        /// <summary>Source addresses: IPv4 addresses, CIDR networks, ranges a.b.c.d-e.f.g.h, or the name of one address object.</summary>
        public IList<string> Source { get; set; } = new List<string>();

        /// <summary>Destination addresses, in the same forms as <see cref="Source"/>.</summary>
        public IList<string> Destination { get; set; } = new List<string>();

        /// <summary>The protocol matched.</summary>
        public FirewallProtocol Protocol { get; set; } = FirewallProtocol.Any;

        /// <summary>Destination ports and ranges ("443", "8000-8080"); TCP and UDP only.</summary>
        public IList<string> Ports { get; set; } = new List<string>();

        /// <summary>Free text kept with the rule on the device.</summary>
        public string Comment { get; set; }

        /// <summary>False keeps the rule on the device without applying it.</summary>
        public bool Enabled { get; set; } = true;

        /// <summary>The device the rule was read from (null for a desired rule).</summary>
        public string Appliance { get; set; }

        /// <summary>A copy that shares no lists with this rule.</summary>
        public FirewallRule Clone() => new FirewallRule
        {
            Name = Name,
            Action = Action,
            Chain = Chain,
            Source = (Source ?? new List<string>()).ToList(),
            Destination = (Destination ?? new List<string>()).ToList(),
            Protocol = Protocol,
            Ports = (Ports ?? new List<string>()).ToList(),
            Comment = Comment,
            Enabled = Enabled,
            Appliance = Appliance,
        };

        /// <inheritdoc />
        public override string ToString() => Name;
    }
}
