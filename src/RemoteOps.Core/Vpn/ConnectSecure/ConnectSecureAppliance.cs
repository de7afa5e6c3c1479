using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Vpn.ConnectSecure
{
    /// <summary>
    /// Ivanti Connect Secure (formerly Pulse Connect Secure, Juniper SA) over its REST API
    /// under /api/v1. Paths and shapes follow the vendor's REST API guides; see
    /// docs/drivers.md for the sources and for what is inferred.
    /// </summary>
    public sealed class ConnectSecureAppliance : RestApplianceBase, IVpnAppliance, IVpnBackupReader, IVpnGateway, IVpnSignIn, IVpnAccessMapping
    {
        /// <summary>The name the driver is registered under.</summary>
        public const string DriverName = "ConnectSecure";

        /// <summary>What the driver can do.</summary>
        public const ApplianceCapabilities DriverCapabilities = ApplianceCapabilities.VpnUsers | ApplianceCapabilities.VpnSessions
            | ApplianceCapabilities.VpnCapacity | ApplianceCapabilities.VpnCluster | ApplianceCapabilities.ConfigBackup
            | ApplianceCapabilities.VpnSignIn;

        private const int PageSize = 200;
        private readonly ConnectSecureOptions options;

        private ConnectSecureAppliance(ConnectSecureOptions options)
            : base(DriverName, "the Connect Secure REST API", options, ConnectSecureErrorParser.Instance, (c, token) => LoginAsync(c, options, token))
        {
            this.options = options;
        }

        /// <inheritdoc />
        public override ApplianceCapabilities Capabilities => DriverCapabilities;

        /// <summary>The address the driver connected to: users sign in on the same host name and port.</summary>
        public Uri GatewayAddress => new Uri(options.BaseAddress.GetLeftPart(UriPartial.Authority) + "/");

        /// <summary>The connection's own trust (its pin, or the system's validation).</summary>
        public TlsTrust GatewayTrust => options.Trust;

        /// <summary>RemoteOps does not sign in to Connect Secure with openconnect.</summary>
        public string OpenconnectProtocol => null;

        // Disconnecting does not log out: Ivanti's REST API guides (PCS 9.1Rx, ICS 22.x REST API
        // solutions guide) document how to obtain an api_key (realm_auth, auth) but no request that
        // ends or revokes it; the key lapses with the admin session time-out of the admin's role.
        // Disposing forgets the key (RestApplianceBase disposes the client, which drops it).

        /// <summary>Connect Secure users have no groups of their own: roles come from realm rules.</summary>
        public bool SupportsUserGroups => false;

        /// <summary>
        /// Ivanti does not document how long a password of a local authentication server's user
        /// may be, nor which characters it takes. RemoteOps keeps to 128 characters without control
        /// characters (its own conservative limit, stated in docs/drivers.md).
        /// </summary>
        public VpnPasswordRules PasswordRules => Rules;

        internal static VpnPasswordRules Rules { get; } = new VpnPasswordRules("Connect Secure (local authentication server)", null, 128, refuseAllControlCharacters: true);


        private string UsersPath => $"/api/v1/configuration/authentication/auth-servers/auth-server/{Escape(options.AuthServer)}/local/users";

        /// <summary>Logs in (realm_auth, falling back to the legacy /api/v1/auth) and reads the system information.</summary>
        public static Task<ConnectSecureAppliance> OpenAsync(ConnectSecureOptions options, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            if (string.IsNullOrEmpty(options.UserName) || options.Password == null)
            {
                throw new ArgumentException("Connect Secure needs an admin user name and password (-Credential).");
            }

            ConnectSecureSignIn.ValidateSignInUrl(options.SignInUrl);
            if (string.IsNullOrWhiteSpace(options.SignInRealm))
            {
                throw new ArgumentException("The driver setting SignInRealm is empty: give the user realm the sign-in page offers (for example 'Users').");
            }

            return OpenAsync(new ConnectSecureAppliance(options), async appliance =>
            {
                await appliance.Client.EnsureLoggedInAsync(cancellationToken).ConfigureAwait(false);
                await appliance.ReadSystemInformationAsync(cancellationToken).ConfigureAwait(false);
            });
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<VpnUser>> GetUsersAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, UsersPath, null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, "Listing users");
            var users = new List<VpnUser>();
            foreach (JToken user in (response.Json?["user"] as JArray) ?? new JArray())
            {
                users.Add(ToUser(user));
            }

            return users;
        }

        /// <inheritdoc />
        public async Task<VpnUser> FindUserAsync(string userName, CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, UserPath(userName), null, cancellationToken).ConfigureAwait(false);
            if (response.Code == 404)
            {
                return null;
            }

            Client.EnsureSuccess(response, $"Reading user '{userName}'");
            JToken json = response.Json;
            return json == null ? null : ToUser(json["user"] ?? json);
        }

        /// <summary>Connect Secure "groups" are sign-in realms: one that does not exist is refused before any change.</summary>
        public async Task<bool> GroupExistsAsync(string group, CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, "/api/v1/configuration/users/user-realms/realm/" + Escape(group), null, cancellationToken).ConfigureAwait(false);
            if (response.Code == 404)
            {
                return false;
            }

            Client.EnsureSuccess(response, $"Reading realm '{group}'");
            return true;
        }

        /// <inheritdoc />
        public async Task CreateUserAsync(VpnUserRequest request, CancellationToken cancellationToken)
        {
            string password = SecretText.Reveal(request.Password);
            var body = new JObject
            {
                ["username"] = request.UserName,
                ["fullname"] = request.FullName ?? request.UserName,
                ["password-cleartext"] = password,
                ["enabled"] = request.Enabled == false ? "false" : "true",
                ["change-password-at-signin"] = request.ChangePasswordAtSignIn ? "true" : "false",
            };

            RestResponse refused = await UserCreationOverRest.PostOnceAsync(Client, UsersPath + "/user/", body, request.UserName,
                async token => await FindUserAsync(request.UserName, token).ConfigureAwait(false) != null, cancellationToken).ConfigureAwait(false);
            if (refused != null)
            {
                Client.EnsureSuccess(refused, $"Creating user '{request.UserName}'", password);
            }
        }

        /// <inheritdoc />
        public async Task SetUserEnabledAsync(string userName, bool enabled, CancellationToken cancellationToken)
        {
            var body = new JObject { ["enabled"] = enabled ? "true" : "false" };
            RestResponse response = await Client.SendAsync(HttpMethod.Put, UserPath(userName) + "/enabled", body, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, $"{(enabled ? "Enabling" : "Disabling")} user '{userName}'");
            if (!enabled)
            {
                await VpnSessionCleanup.EndAllAsync(this, userName, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <inheritdoc />
        public async Task SetUserPasswordAsync(string userName, SecureString password, bool changeAtSignIn, CancellationToken cancellationToken)
        {
            string clear = SecretText.Reveal(password);
            var body = new JObject { ["password-cleartext"] = clear, ["change-password-at-signin"] = changeAtSignIn ? "true" : "false" };
            RestResponse response = await Client.SendAsync(HttpMethod.Put, UserPath(userName) + "/password-cleartext", body, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, $"Setting the password of user '{userName}'", clear);
        }

        /// <summary>Connect Secure maps users to roles through realm rules, not per user: not supported.</summary>
        public Task SetUserGroupsAsync(string userName, IReadOnlyList<string> groups, CancellationToken cancellationToken)
        {
            throw new ApplianceException(
                ApplianceErrorKind.InvalidRequest,
                $"Connect Secure local users have no groups of their own; user '{userName}' was not changed.",
                "Roles come from the realm's role-mapping rules: change those on the appliance. -Group names realms, which are only checked to exist.");
        }

        /// <inheritdoc />
        public async Task RemoveUserAsync(string userName, CancellationToken cancellationToken)
        {
            // Delete first: when the appliance refuses (422, still referenced) the user keeps
            // working sessions instead of being kicked out of an account that still exists.
            RestResponse response = await Client.SendAsync(HttpMethod.Delete, UserPath(userName), null, cancellationToken).ConfigureAwait(false);
            if (response.Code != 404)
            {
                Client.EnsureSuccess(response, $"Removing user '{userName}'");
            }

            await VpnSessionCleanup.EndAllAsync(this, userName, cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<VpnSession>> GetSessionsAsync(string userName, CancellationToken cancellationToken)
        {
            var sessions = new List<VpnSession>();
            for (int start = 0; ; start += PageSize)
            {
                string path = $"/api/v1/system/active-users?number={PageSize}&start={start}" + (userName == null ? string.Empty : "&name=" + Uri.EscapeDataString(userName));
                RestResponse response = await Client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
                Client.EnsureSuccess(response, "Listing active sessions");
                JToken activeUsers = response.Json?["active-users"];
                JToken records = activeUsers?["active-user-records"]?["active-user-record"];
                int returned = 0;
                foreach (JToken record in (records as JArray) ?? new JArray())
                {
                    sessions.Add(ToSession(record));
                    returned++;
                }

                // is-last-record is the documented loop condition; its place in the reply is not
                // documented, so both levels are read, and a short page also ends the loop.
                bool last = IsTrue(activeUsers?["is-last-record"]) || IsTrue(response.Json?["is-last-record"]);
                int? total = activeUsers?["total-matched-record-number"]?.Value<int?>();
                if (last || returned < PageSize || returned == 0 || (total.HasValue && sessions.Count >= total.Value))
                {
                    break;
                }
            }

            return userName == null ? sessions : sessions.Where(s => string.Equals(s.UserName, userName, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        /// <inheritdoc />
        public async Task<bool> DisconnectSessionAsync(VpnSession session, CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Delete, "/api/v1/system/active-users/session/" + Escape(session.SessionId), null, cancellationToken).ConfigureAwait(false);
            if (response.Code == 404)
            {
                return false;
            }

            Client.EnsureSuccess(response, $"Ending session {session.SessionId} of '{session.UserName}'");
            return true;
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<VpnCapacity>> GetCapacityAsync(CancellationToken cancellationToken)
        {
            // No documented REST field carries the licensed concurrent users; the lab emulator
            // serves an inferred endpoint for it. Without it, sessions per node are counted and
            // the maximum is reported as unknown.
            RestResponse license = await Client.SendAsync(HttpMethod.Get, "/api/v1/license/concurrent-users", null, cancellationToken).ConfigureAwait(false);
            if (license.IsSuccess && license.Json?["nodes"] is JArray nodes)
            {
                return nodes.Select(node => new VpnCapacity
                {
                    Node = (string)node["name"],
                    ActiveSessions = node["active-sessions"]?.Value<int>() ?? 0,
                    MaximumSessions = node["max-sessions"]?.Value<int?>() ?? license.Json["licensed-concurrent-users"]?.Value<int?>(),
                    LimitSource = "Licensed",
                    Appliance = Info.Address,
                }).ToList();
            }

            var sessions = await GetSessionsAsync(null, cancellationToken).ConfigureAwait(false);
            return sessions.GroupBy(s => s.Node ?? Info.Name ?? Info.Address)
                .Select(g => new VpnCapacity { Node = g.Key, ActiveSessions = g.Count(), LimitSource = "Unknown", Appliance = Info.Address })
                .DefaultIfEmpty(new VpnCapacity { Node = Info.Name ?? Info.Address, ActiveSessions = 0, LimitSource = "Unknown", Appliance = Info.Address })
                .ToList();
        }

        /// <inheritdoc />
        public async Task<VpnClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, "/api/v1/system/cluster/status", null, cancellationToken).ConfigureAwait(false);
            if (response.Code == 404)
            {
                // No documented REST field carries the cluster state: say that it is unknown
                // rather than report a lone healthy node that may really be one of a pair.
                return new VpnClusterStatus
                {
                    ClusterName = Info.Name,
                    ClusterEnabled = false,
                    Appliance = Info.Address,
                    Nodes = new[] { new VpnClusterNode { Name = Info.Name, Role = "Unknown", Reachable = true, Status = new[] { "cluster status not available over the REST API" } } },
                };
            }

            Client.EnsureSuccess(response, "Reading the cluster status");
            var nodes = new List<VpnClusterNode>();
            foreach (JToken node in (response.Json?["nodes"] as JArray) ?? new JArray())
            {
                int code = node["status-code"]?.Value<int>() ?? 0;
                nodes.Add(ClusterStatusCode.Decode((string)node["name"], (string)node["address"], code));
            }

            return new VpnClusterStatus
            {
                ClusterName = (string)response.Json?["cluster-name"],
                ClusterEnabled = nodes.Any(n => n.Status.Contains("cluster enabled")),
                Leader = nodes.FirstOrDefault(n => n.Role == "Leader")?.Name,
                VipOwner = nodes.FirstOrDefault(n => n.OwnsVip)?.Name,
                Nodes = nodes.ToArray(),
                Appliance = Info.Address,
            };
        }

        /// <inheritdoc />
        public async Task<ConfigBackup> ExportConfigAsync(CancellationToken cancellationToken)
        {
            // The configuration tree as JSON, not the binary export: that one is opaque.
            var backup = new ConfigBackup { Driver = Info.Driver, Appliance = Info.Address, Time = DateTimeOffset.UtcNow };
            await ConnectSecureConfigTree.ReadIntoAsync(Client, backup, cancellationToken).ConfigureAwait(false);
            return backup;
        }

        /// <summary>
        /// Signs the user in on the users' sign-in page (the driver settings SignInUrl and
        /// SignInRealm), as the user's browser or client would, and signs the session out again.
        /// </summary>
        public Task<VpnSignInResult> SignInAsync(string userName, SecureString password, CancellationToken cancellationToken)
        {
            if (password == null)
            {
                throw new ArgumentNullException(nameof(password));
            }

            return ConnectSecureSignIn.SignInAsync(Client, options, VpnUserName.Validate(userName), password, cancellationToken);
        }

        /// <summary>
        /// Reads the user realm the users sign in to (the driver setting SignInRealm): its
        /// authentication server and role-mapping rules decide whether a local user gets a role.
        /// </summary>
        public async Task<VpnAccessRules> ReadAccessRulesAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, "/api/v1/configuration/users/user-realms/realm/" + Escape(options.SignInRealm), null, cancellationToken).ConfigureAwait(false);
            if (response.Code == 404)
            {
                return new ConnectSecureRealmRules(options.SignInRealm, options.AuthServer, null);
            }

            Client.EnsureSuccess(response, $"Reading user realm '{options.SignInRealm}'");
            return new ConnectSecureRealmRules(options.SignInRealm, options.AuthServer, response.Json ?? new JObject());
        }

        /// <summary>Connect Secure compares sign-in names without regard to case.</summary>
        public StringComparer UserNameComparer => StringComparer.OrdinalIgnoreCase;

        /// <summary>The local users of this connection's auth server, from the backup's configuration-tree section.</summary>
        public IReadOnlyList<BackupUser> ReadUsers(ConfigBackup backup) => ConnectSecureBackupUsers.Read(backup, options.AuthServer);

        private static async Task<AuthenticationHeaderValue> LoginAsync(RestClient rest, ConnectSecureOptions options, CancellationToken cancellationToken)
        {
            var basic = Basic(options.UserName, SecretText.Reveal(options.Password));
            RestResponse response = await rest.SendRawAsync(HttpMethod.Post, "/api/v1/realm_auth", new JObject { ["realm"] = options.AdminRealm }, basic, cancellationToken).ConfigureAwait(false);
            if (response.Code == 404 || response.Code == 405)
            {
                // Appliances before realm_auth existed only know the legacy login.
                response = await rest.SendRawAsync(HttpMethod.Get, "/api/v1/auth", null, basic, cancellationToken).ConfigureAwait(false);
            }

            if (response.Code == 401 || response.Code == 403)
            {
                throw new ApplianceException(ApplianceErrorKind.AuthenticationFailed,
                    $"{rest.BaseAddress} refused the admin login of '{options.UserName}' in realm '{options.AdminRealm}' (HTTP {response.Code}).",
                    "Check the admin credentials, the admin realm (-AdminRealm, or -Option @{ AdminRealm = '...' }) and that the account may use the REST API.");
            }

            rest.EnsureSuccess(response, "Logging in");
            string apiKey = (string)response.Json?["api_key"];
            if (string.IsNullOrEmpty(apiKey))
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"{rest.BaseAddress} answered the login without an api_key.");
            }

            rest.AddSecret(apiKey);
            return Basic(apiKey, string.Empty);
        }

        private async Task ReadSystemInformationAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, "/api/v1/system/system-information", null, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                return;
            }

            JToken json = response.Json;
            Info.Name = (string)json?["system-information"]?["host-name"];
            string version = (string)json?["software-inventory"]?["software"]?["version"];
            string build = (string)json?["software-inventory"]?["software"]?["build"];
            Info.Version = version == null ? null : $"Connect Secure {version}" + (build == null ? string.Empty : $" (build {build})");
        }

        private string UserPath(string userName) => UsersPath + "/user/" + Escape(VpnUserName.Validate(userName));

        private VpnUser ToUser(JToken user) => new VpnUser
        {
            UserName = (string)user["username"],
            FullName = (string)user["fullname"],
            Enabled = IsTrue(user["enabled"]),
            Groups = new string[0],
            Appliance = Info.Address,
            Driver = Info.Driver,

            // change-password-at-signin is the local user's own flag (the field the REST API takes
            // on create and password change). The password's age is not part of the user object:
            // an expiry set in the auth server's password options (unverified here: no public
            // document of those options was at hand) shows only at sign-in.
            MustChangePassword = user["change-password-at-signin"] == null ? (bool?)null : IsTrue(user["change-password-at-signin"]),
            PasswordExpired = null,
        };

        private VpnSession ToSession(JToken record) => new VpnSession
        {
            SessionId = (string)record["session-id"],
            UserName = (string)record["active-user-name"],
            Group = (string)record["authentication-realm"],
            ClientAddress = (string)record["source-ip"] ?? (string)record["endpoint-ip"],
            TunnelAddress = (string)record["network-connect-ip"],
            Node = (string)record["login-node"],
            SignInTime = SignInInstant(record) ?? ParseSignInTime((string)record["user-sign-in-time"]),
            SignInTimeZoneKnown = SignInInstant(record) != null,
            Agent = (string)record["agent-type"],
            Appliance = Info.Address,
        };

        // ICS 22.x adds sign-in-time-micro, seconds since 1970 UTC with microseconds
        // ("1699317427.743783"; ICS 22.x REST API solutions guide, active-users example): a true
        // instant, whatever the appliance's time zone.
        private static DateTimeOffset? SignInInstant(JToken record)
        {
            string text = (string)record["sign-in-time-micro"];
            if (text == null || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds)
                || seconds <= 0 || seconds > 253402300799m)
            {
                return null;
            }

            long ticks = decimal.ToInt64(decimal.Round(seconds * TimeSpan.TicksPerSecond));
            return new DateTimeOffset(new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(ticks));
        }

        // Older releases only write "2018/08/23 11:45:40", in the appliance's own time zone, which
        // the API does not name (no REST resource for the time zone is documented): the clock time
        // is kept and the session says its zone is unknown.
        private static DateTimeOffset? ParseSignInTime(string text)
        {
            return DateTime.TryParseExact(text, "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime time)
                ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Unspecified), TimeSpan.Zero)
                : (DateTimeOffset?)null;
        }

        internal static bool IsTrue(JToken token) => token != null && (token.Type == JTokenType.Boolean ? token.Value<bool>() : string.Equals((string)token, "true", StringComparison.OrdinalIgnoreCase));

        // Names in paths are percent-encoded; they often contain spaces ("System Local").
        private static string Escape(string segment) => Uri.EscapeDataString(segment);

        private static AuthenticationHeaderValue Basic(string user, string password)
            => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
    }
}
