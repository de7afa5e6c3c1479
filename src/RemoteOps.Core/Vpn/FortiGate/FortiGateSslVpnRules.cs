using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.FortiOs;

namespace RemoteOps.Core.Vpn.FortiGate
{
    /// <summary>
    /// The SSL-VPN authentication rules of a FortiGate (cmdb vpn.ssl/settings) and its firewall
    /// policies from the SSL-VPN tunnel interface (cmdb firewall/policy), evaluated for one user.
    /// </summary>
    /// <remarks>
    /// FortiOS CLI Reference, "config vpn ssl settings": authentication-rule entries name groups,
    /// users and the portal they get; default-portal is the portal of every user no rule names
    /// ("All Other Users/Groups" in the GUI). A user in no rule and with no default portal gets no
    /// portal and cannot sign in. Rules are taken in their order and the first that names the user
    /// or one of the user's groups wins.
    /// A portal is not enough: an enabled accept policy whose srcintf is ssl.root must also name
    /// the user or one of the user's groups (FortiOS Handbook, SSL VPN, "Configuring security
    /// policies" and "User accounts and groups"; Fortinet Community technical tip "SSL VPN user is
    /// matching the wrong portal": the user is authenticated on the users and groups found both in
    /// the SSL-VPN policies and in the matching authentication rule).
    /// A policy from ssl.root that names no users and no groups is taken to allow every
    /// authenticated SSL-VPN user: no Fortinet document at hand says what FortiOS does with such a
    /// policy, so the check does not blame it (a missed refusal rather than a false one).
    /// </remarks>
    internal sealed class FortiGateSslVpnRules : VpnAccessRules
    {
        private const string TunnelInterface = "ssl.root";
        private readonly JArray rules;
        private readonly string defaultPortal;
        private readonly IReadOnlyList<JToken> policies;
        private readonly string policiesUnread;

        /// <summary>The rules of <paramref name="settings"/> and the firewall policies <paramref name="firewallPolicies"/>.</summary>
        internal FortiGateSslVpnRules(JToken settings, IReadOnlyList<JToken> firewallPolicies)
        {
            rules = settings?["authentication-rule"] as JArray ?? new JArray();
            defaultPortal = (string)settings?["default-portal"];
            policies = firewallPolicies ?? throw new ArgumentNullException(nameof(firewallPolicies));
        }

        /// <summary>The rules of <paramref name="settings"/> when the firewall policies could not be read (<paramref name="why"/>).</summary>
        internal FortiGateSslVpnRules(JToken settings, string why)
            : this(settings, new JToken[0])
        {
            policiesUnread = why;
        }

        public override string Source => "SSL-VPN settings (vpn.ssl settings) and firewall policies from ssl.root";

        public override VpnAccessMapping MappingFor(VpnUser user)
        {
            string portal = null;
            string why = null;
            foreach (JToken rule in rules)
            {
                string rulePortal = (string)rule["portal"];
                string group = FortiOsNameList.Read(rule["groups"]).FirstOrDefault(g => user.Groups.Contains(g, StringComparer.OrdinalIgnoreCase));
                bool byName = FortiOsNameList.Read(rule["users"]).Contains(user.UserName, StringComparer.OrdinalIgnoreCase);
                if ((byName || group != null) && !string.IsNullOrEmpty(rulePortal))
                {
                    portal = rulePortal;
                    why = $"authentication rule {rule["id"]} {(byName ? $"names {user.UserName}" : $"names the group '{group}'")} and gives the portal '{portal}'";
                    break;
                }
            }

            string groups = user.Groups.Length == 0 ? $"{user.UserName} is in no user group" : $"{user.UserName} is in the group(s) {string.Join(", ", user.Groups.Select(g => "'" + g + "'"))}";
            if (portal == null)
            {
                string none = rules.Count == 0 ? "there are no authentication rules" : $"none of the {rules.Count} authentication rule(s) names the user or one of its groups";
                if (string.IsNullOrEmpty(defaultPortal))
                {
                    return VpnAccessMapping.Denied($"{none} ({groups}), and there is no default portal for other users, so the user gets no SSL-VPN portal.");
                }

                portal = defaultPortal;
                why = $"{none} ({groups}), so the default portal '{defaultPortal}' applies";
            }

            if (policiesUnread != null)
            {
                return VpnAccessMapping.Granted(new[] { portal }, $"{why}; the firewall policies from {TunnelInterface}, which must also allow the user or one of its groups, could not be read ({policiesUnread}).");
            }

            List<JToken> tunnel = policies.Where(p => FortiOsNameList.Read(p["srcintf"]).Contains(TunnelInterface, StringComparer.OrdinalIgnoreCase)).ToList();
            foreach (JToken policy in tunnel.Where(IsEnabledAccept))
            {
                string allows = Allows(policy, user);
                if (allows != null)
                {
                    return VpnAccessMapping.Granted(new[] { portal }, $"{why}; firewall policy {Label(policy)} from {TunnelInterface} allows {allows}.");
                }
            }

            string seen = tunnel.Count == 0
                ? $"there is no firewall policy from {TunnelInterface}"
                : $"none of the {tunnel.Count} firewall policy(ies) from {TunnelInterface} ({string.Join(", ", tunnel.Select(Label))}) is an enabled accept policy that allows {user.UserName} or one of its groups";
            return VpnAccessMapping.Denied($"{why}, but {seen} ({groups}), so the sign-in is refused.");
        }

        private static bool IsEnabledAccept(JToken policy) =>
            string.Equals((string)policy["action"], "accept", StringComparison.OrdinalIgnoreCase)
            && !string.Equals((string)policy["status"], "disable", StringComparison.OrdinalIgnoreCase);

        /// <summary>What of the user the policy allows, in words, or null when it allows neither the user nor its groups.</summary>
        private static string Allows(JToken policy, VpnUser user)
        {
            List<string> users = FortiOsNameList.Read(policy["users"]).ToList();
            List<string> groups = FortiOsNameList.Read(policy["groups"]).ToList();
            if (users.Contains(user.UserName, StringComparer.OrdinalIgnoreCase))
            {
                return user.UserName;
            }

            string group = groups.FirstOrDefault(g => user.Groups.Contains(g, StringComparer.OrdinalIgnoreCase));
            if (group != null)
            {
                return $"the group '{group}'";
            }

            return users.Count == 0 && groups.Count == 0 ? "every SSL-VPN user (it names no users or groups)" : null;
        }

        private static string Label(JToken policy)
        {
            string name = (string)policy["name"];
            return string.IsNullOrEmpty(name) ? $"{policy["policyid"]}" : $"{policy["policyid"]} ('{name}')";
        }
    }
}
