using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Vpn.ConnectSecure
{
    /// <summary>
    /// The role mapping of the user realm the users sign in to, evaluated for one local user.
    /// </summary>
    /// <remarks>
    /// A realm names the authentication server that checks the password and lists role-mapping
    /// rules; the rules are evaluated in order, every rule that matches adds its roles, and a
    /// matching rule with "stop processing rules" ends the evaluation; a user that no rule maps
    /// to a role cannot sign in (Ivanti Connect Secure Administration Guide, "Authentication
    /// Realms" and "Role Mapping Rules"; Pulse Connect Secure 9.1R12 admin guide, auth_realms.htm).
    /// In the REST configuration tree the realm is /api/v1/configuration/users/user-realms/realm/{name}
    /// with "authentication-server" and "role-mapping-rules": {"rule": [{"name", "user-name":
    /// {"test": "is", "user-names": [...]}, "roles": [...], "stop": "true|false"}]} (field names as
    /// public REST clients write them; the nesting is not documented by Ivanti and is inferred).
    /// Rules on directory groups, attributes, certificates or custom expressions need the user's
    /// directory data, which the REST API does not give: they are reported as not evaluated.
    /// </remarks>
    internal sealed class ConnectSecureRealmRules : VpnAccessRules
    {
        private readonly string realm;
        private readonly string authServer;
        private readonly string realmAuthServer;
        private readonly JArray rules;
        private readonly bool realmFound;

        internal ConnectSecureRealmRules(string realm, string authServer, JToken json)
        {
            this.realm = realm;
            this.authServer = authServer;
            realmFound = json != null;
            JToken body = json?["realm"] is JObject inner ? inner : json;
            realmAuthServer = (string)body?["authentication-server"];
            JToken list = body?["role-mapping-rules"]?["rule"] ?? body?["role-mapping-rules"];
            rules = list as JArray ?? (list is JObject one ? new JArray(one) : new JArray());
        }

        public override string Source => $"user realm '{realm}'";

        public override VpnAccessMapping MappingFor(VpnUser user)
        {
            if (!realmFound)
            {
                // More likely a setting of this connection than a fault of the user's: not blamed on the user.
                return VpnAccessMapping.Unknown("the realm does not exist on the appliance; if users sign in through another realm, connect with the driver setting SignInRealm naming it.");
            }

            if (realmAuthServer != null && !string.Equals(realmAuthServer, authServer, StringComparison.OrdinalIgnoreCase))
            {
                return VpnAccessMapping.Denied($"the realm checks passwords against the auth server '{realmAuthServer}', but {user.UserName} is a user of '{authServer}'.");
            }

            var roles = new List<string>();
            var matched = new List<string>();
            var notEvaluated = new List<string>();
            foreach (JToken rule in rules)
            {
                string name = (string)rule["name"] ?? "(unnamed)";
                bool? matches = Matches(rule, user.UserName);
                if (matches == null)
                {
                    notEvaluated.Add(name);
                    continue;
                }

                if (matches == true)
                {
                    matched.Add(name);
                    foreach (string role in Strings(rule["roles"]).Where(r => !roles.Contains(r, StringComparer.OrdinalIgnoreCase)))
                    {
                        roles.Add(role);
                    }

                    if (ConnectSecureAppliance.IsTrue(rule["stop"]))
                    {
                        break;
                    }
                }
            }

            string unevaluated = notEvaluated.Count == 0 ? string.Empty
                : $"; rule(s) {Quoted(notEvaluated)} test directory groups, attributes or certificates and were not evaluated";
            if (roles.Count > 0)
            {
                return VpnAccessMapping.Granted(roles.ToArray(), $"rule(s) {Quoted(matched)} map {user.UserName} to the role(s) {Quoted(roles)}{unevaluated}.");
            }

            if (notEvaluated.Count > 0)
            {
                return VpnAccessMapping.Unknown($"no user-name rule maps {user.UserName} to a role{unevaluated}.");
            }

            return VpnAccessMapping.Denied(rules.Count == 0
                ? $"the realm has no role-mapping rules, so it maps {user.UserName} to no role."
                : $"none of its {rules.Count} role-mapping rule(s) ({Quoted(rules.Select(r => (string)r["name"] ?? "(unnamed)"))}) maps {user.UserName} to a role.");
        }

        // null: the rule tests something other than the user name.
        private static bool? Matches(JToken rule, string userName)
        {
            if (!(rule["user-name"] is JObject test))
            {
                return null;
            }

            bool any = Strings(test["user-names"] ?? test["values"]).Any(pattern => Glob(pattern).IsMatch(userName));
            string kind = ((string)test["test"] ?? "is").Trim().ToLowerInvariant();
            return kind == "is not" || kind == "is-not" || kind == "isnot" ? !any : any;
        }

        // User-name rules take * as a wildcard (admin guide, "Role Mapping Rules"); names compare without regard to case.
        private static Regex Glob(string pattern) =>
            new Regex("^" + Regex.Escape(pattern ?? string.Empty).Replace("\\*", ".*").Replace("\\?", ".") + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static IEnumerable<string> Strings(JToken token) =>
            token is JArray array ? array.Select(t => t.Type == JTokenType.Object ? (string)t["name"] : (string)t).Where(s => !string.IsNullOrEmpty(s))
            : token != null && token.Type == JTokenType.String ? new[] { (string)token } : Enumerable.Empty<string>();

        private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => "'" + n + "'"));
    }
}
