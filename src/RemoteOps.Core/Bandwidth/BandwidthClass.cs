using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>
    /// One traffic class of a shaping policy, the same for every bandwidth driver: what traffic it
    /// holds (the match, first matching class wins), the rate it is guaranteed, the rate it may
    /// borrow up to, and its priority for spare bandwidth. Read from a device, it also carries
    /// where it lives and its live counters.
    /// </summary>
    public sealed class BandwidthClass
    {
        /// <summary>The class's identity, unique in a policy: letters, digits, '_', '-' and '.', starting with a letter, at most 64 characters.</summary>
        public string Name { get; set; }

        /// <summary>The rate the class always gets when it has traffic ("20mbit"); canonical as tc prints it ("20Mbit").</summary>
        public string GuaranteedRate { get; set; }

        /// <summary>The most the class may use by borrowing unused bandwidth; the link rate when not given.</summary>
        public string CeilingRate { get; set; }

        /// <summary>Who gets spare bandwidth first: 0 (first) to 7 (last); classes of equal priority share it in proportion to their guaranteed rates.</summary>
        public int Priority { get; set; } = BandwidthPolicyValidator.DefaultPriority;

        /// <summary>True for the one class that takes all traffic no other class matches; it has no match of its own.</summary>
        public bool Default { get; set; }

        /// <summary>Source addresses: IPv4 addresses, CIDR networks or ranges a.b.c.d-e.f.g.h.</summary>
        public IList<string> Source { get; set; } = new List<string>();

        /// <summary>Destination addresses, in the same forms as <see cref="Source"/>.</summary>
        public IList<string> Destination { get; set; } = new List<string>();

        /// <summary>The protocol matched (Any, Tcp, Udp, Icmp).</summary>
        public FirewallProtocol Protocol { get; set; } = FirewallProtocol.Any;

        /// <summary>Destination ports and ranges ("443", "8000-8080"); TCP and UDP only.</summary>
        public IList<string> Ports { get; set; } = new List<string>();

        /// <summary>Source ports and ranges: what the far end sends from, for traffic towards the clients.</summary>
        public IList<string> SourcePorts { get; set; } = new List<string>();

        /// <summary>DSCP values (0-63, or names such as ef, af41, cs1) of IPv4 packets.</summary>
        public IList<string> Dscp { get; set; } = new List<string>();

        /// <summary>The device the class was read from (null for a desired class).</summary>
        public string Appliance { get; set; }

        /// <summary>The interface whose egress the class shapes (null for a desired class: it applies to every shaped interface).</summary>
        public string Interface { get; set; }

        /// <summary>The device's own identity of the class (tc classid "1:10"), or null.</summary>
        public string ClassId { get; set; }

        /// <summary>Bytes sent through the class since it was created (null for a desired class).</summary>
        public long? Bytes { get; set; }

        /// <summary>Packets sent through the class.</summary>
        public long? Packets { get; set; }

        /// <summary>Packets dropped because the class's queue was full.</summary>
        public long? Drops { get; set; }

        /// <summary>Times the class had to wait for its rate or ceiling.</summary>
        public long? Overlimits { get; set; }

        /// <summary>The class's rate now, in bits per second, as the device estimates it (averaged over a few seconds).</summary>
        public long? CurrentRate { get; set; }

        /// <summary>True when the class has at least one match.</summary>
        public bool HasMatch => (Source?.Count ?? 0) > 0 || (Destination?.Count ?? 0) > 0 || Protocol != FirewallProtocol.Any
            || (Ports?.Count ?? 0) > 0 || (SourcePorts?.Count ?? 0) > 0 || (Dscp?.Count ?? 0) > 0;

        /// <summary>The match in words, nftables style ("ip daddr 10.0.0.0/8 tcp dport 443"), or "(all other traffic)" for the default class.</summary>
        public string MatchText => BandwidthMatch.Describe(this);

        /// <summary>A copy of the class definition (no counters) that shares no lists with this one.</summary>
        public BandwidthClass Clone() => new BandwidthClass
        {
            Name = Name,
            GuaranteedRate = GuaranteedRate,
            CeilingRate = CeilingRate,
            Priority = Priority,
            Default = Default,
            Source = (Source ?? new List<string>()).ToList(),
            Destination = (Destination ?? new List<string>()).ToList(),
            Protocol = Protocol,
            Ports = (Ports ?? new List<string>()).ToList(),
            SourcePorts = (SourcePorts ?? new List<string>()).ToList(),
            Dscp = (Dscp ?? new List<string>()).ToList(),
            Appliance = Appliance,
            Interface = Interface,
            ClassId = ClassId,
        };

        /// <inheritdoc />
        public override string ToString() => Name;
    }
}
