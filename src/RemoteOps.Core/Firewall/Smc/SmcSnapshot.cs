using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Firewall.Smc
{
    /// <summary>What RemoteOps owns in an SMC policy at one moment, with the hrefs, tags and ETags needed to change it.</summary>
    internal sealed class SmcSnapshot
    {
        /// <summary>The owned rules and address objects, canonical, in rule order.</summary>
        public FirewallPolicy Policy { get; } = new FirewallPolicy();

        /// <summary>The owned rules by RemoteOps name (unreadable ones as unmanaged-TAG).</summary>
        public Dictionary<string, SmcRuleRef> Rules { get; } = new Dictionary<string, SmcRuleRef>(System.StringComparer.Ordinal);

        /// <summary>The owned rules in the policy's order.</summary>
        public List<SmcRuleRef> RulesInOrder { get; } = new List<SmcRuleRef>();

        /// <summary>The groups holding address objects, by object name.</summary>
        public Dictionary<string, SmcRuleRef> Groups { get; } = new Dictionary<string, SmcRuleRef>(System.StringComparer.Ordinal);

        /// <summary>The owned rules' and groups' hrefs as listed when this was read: unchanged, the read can be used again.</summary>
        public string Listing { get; set; }

        /// <summary>Set once a change starts from this read: what it says no longer holds.</summary>
        public bool Stale { get; set; }
    }

    /// <summary>A rule or group as read: where it is, its identity in the policy, and the ETag a change must name.</summary>
    internal sealed class SmcRuleRef
    {
        public string Name { get; set; }

        public string Href { get; set; }

        public string Tag { get; set; }

        public string ETag { get; set; }

        public JObject Json { get; set; }
    }
}
