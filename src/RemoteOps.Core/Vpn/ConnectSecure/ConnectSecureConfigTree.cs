using System;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Vpn.ConnectSecure
{
    /// <summary>
    /// Reads the parts of Connect Secure's REST configuration tree that the driver manages into
    /// backup sections of indented JSON, with secret values withheld.
    /// </summary>
    /// <remarks>
    /// The binary configuration export is an opaque file that only an appliance can read, so it
    /// cannot be compared line by line; the configuration tree is what the documented REST API
    /// returns as JSON. Sections: configuration.json (the top of the tree), the auth servers, the
    /// local users of each auth server that has them, the user realms and the user roles. Object
    /// keys are sorted so that two exports of the same configuration are equal text.
    /// </remarks>
    internal static class ConnectSecureConfigTree
    {
        internal const string AuthServersPath = "/api/v1/configuration/authentication/auth-servers";
        internal const string Withheld = "(withheld)";

        private static readonly (string Section, string Path)[] FixedParts =
        {
            ("configuration.json", "/api/v1/configuration"),
            ("authentication/auth-servers.json", AuthServersPath),
            ("users/user-realms.json", "/api/v1/configuration/users/user-realms"),
            ("users/user-roles.json", "/api/v1/configuration/users/user-roles"),
        };

        // Key names that hold secrets in the tree: password-cleartext, shared-secret, private-key, psk,
        // and so on. A name that only mentions a password (change-password-at-signin) is not one.
        private static readonly Regex SecretKey = new Regex("(^|[-_])(password|passwd|passphrase|secret|psk|key|token)([-_]cleartext)?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        internal static async Task ReadIntoAsync(RestClient client, ConfigBackup backup, CancellationToken cancellationToken)
        {
            foreach (var part in FixedParts)
            {
                backup.Sections[part.Section] = Render(await GetAsync(client, part.Path, cancellationToken).ConfigureAwait(false));
            }

            JToken servers = JToken.Parse(backup.Sections["authentication/auth-servers.json"])["auth-server"];
            foreach (string server in (servers as JArray ?? new JArray()).Select(s => (string)s["name"]).Where(n => !string.IsNullOrEmpty(n)).OrderBy(n => n, StringComparer.Ordinal))
            {
                string path = AuthServersPath + "/auth-server/" + Uri.EscapeDataString(server) + "/local/users";
                RestResponse response = await client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
                if (response.Code == 404)
                {
                    continue; // not a local auth server: it has no user list
                }

                client.EnsureSuccess(response, $"Reading the local users of auth server '{server}'");
                backup.Sections[$"authentication/auth-servers/{server}/local/users.json"] = Render(response.Json);
            }
        }

        private static async Task<JToken> GetAsync(RestClient client, string path, CancellationToken cancellationToken)
        {
            RestResponse response = await client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            client.EnsureSuccess(response, "Reading the configuration " + path);
            return response.Json ?? throw new ApplianceException(ApplianceErrorKind.Failed,
                $"The configuration {path} did not come back as JSON.", "Check that the address is a Connect Secure REST API.");
        }

        /// <summary>Indented JSON with sorted keys and every secret value replaced by "(withheld)".</summary>
        internal static string Render(JToken token) => Normalise(token).ToString(Formatting.Indented);

        private static JToken Normalise(JToken token)
        {
            switch (token)
            {
                case JObject o:
                    var sorted = new JObject();
                    foreach (JProperty p in o.Properties().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        bool secret = SecretKey.IsMatch(p.Name) && p.Value.Type != JTokenType.Object && p.Value.Type != JTokenType.Array
                                      && !(p.Value.Type == JTokenType.String && ((string)p.Value).Length == 0)
                                      && p.Value.Type != JTokenType.Null && p.Value.Type != JTokenType.Boolean;
                        sorted[p.Name] = secret ? new JValue(Withheld) : Normalise(p.Value);
                    }

                    return sorted;
                case JArray a:
                    return new JArray(a.Select(Normalise));
                default:
                    return token?.DeepClone() ?? JValue.CreateNull();
            }
        }
    }
}
