using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn.ConnectSecure
{
    /// <summary>
    /// The users of a Connect Secure backup: the local users of one auth server, as the
    /// configuration tree section authentication/auth-servers/{server}/local/users.json holds them
    /// ({"user": [{"username", "fullname", "enabled"}]}, passwords withheld).
    /// </summary>
    internal static class ConnectSecureBackupUsers
    {
        internal static string SectionOf(string authServer) => $"authentication/auth-servers/{authServer}/local/users.json";

        internal static IReadOnlyList<BackupUser> Read(ConfigBackup backup, string authServer)
        {
            string section = SectionOf(authServer);
            if (backup == null || !backup.Sections.TryGetValue(section, out string text) || text == null)
            {
                string[] servers = (backup?.Sections.Keys ?? Enumerable.Empty<string>())
                    .Where(k => k.StartsWith("authentication/auth-servers/", StringComparison.Ordinal) && k.EndsWith("/local/users.json", StringComparison.Ordinal))
                    .Select(k => k.Substring("authentication/auth-servers/".Length, k.Length - "authentication/auth-servers/".Length - "/local/users.json".Length))
                    .ToArray();
                throw new ApplianceException(
                    ApplianceErrorKind.InvalidRequest,
                    servers.Length == 0
                        ? $"The backup has no local users of any auth server (no section '{section}'); a Connect Secure backup made before the configuration-tree export holds no users that can be read."
                        : $"The backup has no local users of the auth server '{authServer}' that this connection manages; it has those of: {string.Join(", ", servers)}.",
                    "Use a backup made by Export-RoVpnConfig from a Connect Secure connection, and connect with -Option @{ AuthServer = '...' } for the auth server to restore.");
            }

            JToken json;
            try
            {
                json = JToken.Parse(text);
            }
            catch (JsonException error)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"The backup section '{section}' is not JSON ({error.Message}).", "Use an unedited backup made by Export-RoVpnConfig.");
            }

            return ((json["user"] as JArray) ?? new JArray())
                .Where(u => !string.IsNullOrEmpty((string)u["username"]))
                .Select(u => new BackupUser
                {
                    UserName = (string)u["username"],
                    FullName = (string)u["fullname"],
                    Enabled = ConnectSecureAppliance.IsTrue(u["enabled"]),
                })
                .ToList();
        }
    }
}
