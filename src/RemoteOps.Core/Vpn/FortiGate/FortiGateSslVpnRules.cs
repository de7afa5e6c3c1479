using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Vpn.FortiGate
{
    /// <summary>
    /// The SSL-VPN authentication rules of a FortiGate (cmdb vpn.ssl/settings), evaluated for one user.
    /// </summary>
    /// <remarks>
    /// FortiOS CLI Reference, "config vpn ssl settings": authentication-rule entries name groups,
    /// users and the portal they get; default-portal is the portal of every user no rule names
    /// ("All Other Users/Groups" in the GUI). A user in no rule and with no default portal gets no
    /// portal and cannot sign in. The firewall policies from ssl.root must also allow one of the
    /// user's groups (FortiOS Administration Guide, SSL VPN: user accounts and groups); those are
    /// not read here, to keep the diagnosis to one request, and the evidence says so. Rules are
    /// taken in their order and the first that names the user or one of the user's groups wins.
    /// </remarks>
    internal sealed class FortiGateSslVpnRules : VpnAccessRules
    {
        private const string PoliciesNotRead = "the firewall policies from ssl.root, which must also allow one of the user's groups, were not read";
        private readonly JArray rules;
        private readonly string defaultPortal;

        internal FortiGateSslVpnRules(JToken settings)
        {
            rules = settings?["authentication-rule"] as JArray ?? new JArray();
            defaultPortal = (string)settings?["default-portal"];
        }

        public override string Source => "SSL-VPN settings (vpn.ssl settings)";

        public override VpnAccessMapping MappingFor(VpnUser user)
        {
            foreach (JToken rule in rules)
            {
                string portal = (string)rule["portal"];
                IEnumerable<string> users = Names(rule["users"]);
                string group = Names(rule["groups"]).FirstOrDefault(g => user.Groups.Contains(g, StringComparer.OrdinalIgnoreCase));
                bool byName = users.Contains(user.UserName, StringComparer.OrdinalIgnoreCase);
                if ((byName || group != null) && !string.IsNullOrEmpty(portal))
                {
                    string why = byName ? $"names {user.UserName}" : $"names the group '{group}'";
                    return VpnAccessMapping.Granted(new[] { portal }, $"authentication rule {rule["id"]} {why} and gives the portal '{portal}'; {PoliciesNotRead}.");
                }
            }

            string groups = user.Groups.Length == 0 ? $"{user.UserName} is in no user group" : $"{user.UserName} is in the group(s) {string.Join(", ", user.Groups.Select(g => "'" + g + "'"))}";
            string none = rules.Count == 0 ? "there are no authentication rules" : $"none of the {rules.Count} authentication rule(s) names the user or one of its groups";
            if (!string.IsNullOrEmpty(defaultPortal))
            {
                return VpnAccessMapping.Granted(new[] { defaultPortal }, $"{none} ({groups}), so the default portal '{defaultPortal}' applies; {PoliciesNotRead}.");
            }

            return VpnAccessMapping.Denied($"{none} ({groups}), and there is no default portal for other users, so the user gets no SSL-VPN portal.");
        }

        private static IEnumerable<string> Names(JToken token) =>
            (token as JArray ?? new JArray()).Select(t => t.Type == JTokenType.Object ? (string)t["name"] : (string)t).Where(n => !string.IsNullOrEmpty(n));
    }
}
