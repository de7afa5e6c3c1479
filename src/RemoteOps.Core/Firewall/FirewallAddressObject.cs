using System.Collections.Generic;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// A named list of addresses that rules refer to by name in Source or Destination (an
    /// nftables named set), so a list used by many rules is kept in one place.
    /// </summary>
    public sealed class FirewallAddressObject
    {
        /// <summary>The name rules use; letters, digits and underscores, starting with a letter.</summary>
        public string Name { get; set; }

        /// <summary>IPv4 addresses, CIDR networks and ranges (a.b.c.d-e.f.g.h).</summary>
        public IList<string> Addresses { get; set; } = new List<string>();

        /// <inheritdoc />
        public override string ToString() => $"{Name} = {string.Join(", ", Addresses ?? new string[0])}";
    }
}
