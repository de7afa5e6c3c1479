using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Firewall
{
    /// <summary>The rules and address objects RemoteOps manages on one firewall, in rule order.</summary>
    public sealed class FirewallPolicy
    {
        /// <summary>The address objects the rules may refer to.</summary>
        public IList<FirewallAddressObject> AddressObjects { get; set; } = new List<FirewallAddressObject>();

        /// <summary>The rules, first match first.</summary>
        public IList<FirewallRule> Rules { get; set; } = new List<FirewallRule>();

        /// <summary>The object with this name (case-sensitive, as nftables compares), or null.</summary>
        public FirewallAddressObject FindObject(string name) => (AddressObjects ?? new List<FirewallAddressObject>()).FirstOrDefault(o => o.Name == name);
    }
}
