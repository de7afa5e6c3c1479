using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.FortiOs;
using RemoteOps.Core.FortiOs;

namespace RemoteOps.Core.Vpn.FortiGate
{
    /// <summary>
    /// FortiGate SSL-VPN (FortiOS REST API /api/v2, token authentication). Local users live in
    /// cmdb/user/local, group membership in cmdb/user/group, sessions in monitor/vpn/ssl.
    /// Sources per endpoint are listed in docs/drivers.md.
    /// </summary>
    public sealed class FortiGateAppliance : RestApplianceBase, IVpnAppliance, IVpnBackupReader, IVpnBackupGroups, IFirewall, IVpnAccessMapping
    {
        /// <summary>The name the driver is registered under.</summary>
        public const string DriverName = "FortiGate";

        /// <summary>What the driver can do: one connection serves the VPN and the firewall cmdlets.</summary>
        public const ApplianceCapabilities DriverCapabilities = ApplianceCapabilities.VpnUsers | ApplianceCapabilities.VpnSessions
            | ApplianceCapabilities.VpnCapacity | ApplianceCapabilities.VpnCluster | ApplianceCapabilities.ConfigBackup
            | ApplianceCapabilities.FirewallPolicy;

        private const string UsersPath = "/api/v2/cmdb/user/local";
        private const string GroupsPath = "/api/v2/cmdb/user/group";
        private const string PasswordPoliciesPath = "/api/v2/cmdb/user/password-policy";
        private const string SslVpnPolicyFields = "/api/v2/cmdb/firewall/policy?format=policyid%7Cname%7Csrcintf%7Cusers%7Cgroups%7Caction%7Cstatus";

        // The release from which FortiOS has a monitor endpoint for a local user's password.
        private static readonly Version ChangePasswordEndpointSince = new Version(7, 4);

        private readonly SemaphoreSlim groupWrites = new SemaphoreSlim(1, 1);
        private readonly FortiOsFirewall firewall;
        private string version;

        // The token is sent as a bearer header, never in the URL (FortiOS 7.4.5 refuses URL tokens by default).
        private FortiGateAppliance(FortiGateOptions options, AuthenticationHeaderValue bearer)
            : base(DriverName, "the FortiOS REST API", options, FortiOsErrorParser.Instance, TokenLogin(options.BaseAddress, bearer))
        {
            firewall = new FortiOsFirewall(Client, Info.Address, CheckInterfaces(options.SourceInterface, "SourceInterface"), CheckInterfaces(options.DestinationInterface, "DestinationInterface"));
        }

        /// <inheritdoc />
        public string PolicyScope => firewall.Scope;

        /// <inheritdoc />
        public override ApplianceCapabilities Capabilities => DriverCapabilities;

        /// <summary>FortiGate users belong to user groups.</summary>
        public bool SupportsUserGroups => true;

        /// <summary>
        /// FortiOS CLI Reference, "config user local", passwd: maximum length 128. Which characters
        /// it takes is not documented; control characters are refused as a conservative choice.
        /// </summary>
        public VpnPasswordRules PasswordRules => Rules;

        internal static VpnPasswordRules Rules { get; } = new VpnPasswordRules("FortiGate (FortiOS local user)", null, 128, refuseAllControlCharacters: true);

        /// <summary>The FortiOS release read when connecting ("v7.4.4"), or null when it could not be read.</summary>
        internal Version FortiOsVersion { get; private set; }

        /// <summary>"v7.4.4" or "7.4.4" as a version; null for anything else.</summary>
        internal static Version ParseVersion(string text)
        {
            return text != null && Version.TryParse(text.TrimStart('v', 'V'), out Version parsed) ? parsed : null;
        }

        /// <summary>Checks the token by reading the system status.</summary>
        public static async Task<FortiGateAppliance> OpenAsync(FortiGateOptions options, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            string token = SecretText.Reveal(options.Password);
            if (string.IsNullOrEmpty(token))
            {
                throw new ArgumentException("FortiGate needs the REST API token as the password of -Credential.");
            }

            return await OpenAsync(new FortiGateAppliance(options, new AuthenticationHeaderValue("Bearer", token)), async appliance =>
            {
                RestResponse status = await appliance.Client.SendAsync(HttpMethod.Get, "/api/v2/monitor/system/status", null, cancellationToken).ConfigureAwait(false);
                if (status.Code == 401 || status.Code == 403)
                {
                    throw TokenRefused(options.BaseAddress, status.Code);
                }

                appliance.Client.EnsureSuccess(status, "Reading the system status");
                appliance.version = (string)status.Json?["version"];
                appliance.FortiOsVersion = ParseVersion(appliance.version);
                appliance.Info.Name = (string)status.Json?["results"]?["hostname"] ?? (string)status.Json?["serial"];
                appliance.Info.Version = $"FortiOS {appliance.version} (build {status.Json?["build"]})";
            }).ConfigureAwait(false);
        }

        // A static token cannot be renewed: a 401 after connecting means it was revoked or expired,
        // and sending it again only counts towards the admin lockout. So the client's re-login
        // after a 401 reports the token refused instead of handing the same token back.
        private static Func<RestClient, CancellationToken, Task<AuthenticationHeaderValue>> TokenLogin(Uri address, AuthenticationHeaderValue bearer)
        {
            int logins = 0;
            return (client, token) => Interlocked.Increment(ref logins) == 1
                ? Task.FromResult(bearer)
                : Task.FromException<AuthenticationHeaderValue>(TokenRefused(address, 401));
        }

        private static ApplianceException TokenRefused(Uri address, int status)
            => new ApplianceException(ApplianceErrorKind.AuthenticationFailed, $"{address} refused the REST API token (HTTP {status}).", "Check the token, the REST API admin's trusted hosts and its profile's permissions.");

        /// <inheritdoc />
        public async Task<IReadOnlyList<VpnUser>> GetUsersAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, UsersPath, null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, "Listing users");
            List<JToken> users = Results(response).ToList();
            Task<Dictionary<string, List<string>>> membership = GroupMembershipAsync(cancellationToken);
            Task<Dictionary<string, JToken>> policies = users.Any(u => !string.IsNullOrEmpty((string)u["passwd-policy"]))
                ? PasswordPoliciesAsync(cancellationToken)
                : Task.FromResult(new Dictionary<string, JToken>());
            await Task.WhenAll(membership, policies).ConfigureAwait(false);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            return users.Select(u => ToUser(u, membership.Result, PolicyOf(u, policies.Result), now)).ToList();
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
            JToken user = Results(response).FirstOrDefault();
            if (user == null)
            {
                return null;
            }

            // The groups and the user's password policy are read at the same time: one round trip more, not two.
            Task<Dictionary<string, List<string>>> membership = GroupMembershipAsync(cancellationToken);
            string policyName = (string)user["passwd-policy"];
            Task<JToken> policy = string.IsNullOrEmpty(policyName) ? Task.FromResult<JToken>(null) : PasswordPolicyAsync(policyName, cancellationToken);
            await Task.WhenAll(membership, policy).ConfigureAwait(false);
            return ToUser(user, membership.Result, policy.Result, DateTimeOffset.UtcNow);
        }

        /// <summary>
        /// Reads the SSL-VPN settings and, at the same time, the firewall policies: the
        /// authentication rules and default portal decide which portal, if any, a user gets (FortiOS
        /// CLI Reference, config vpn ssl settings), and a policy from ssl.root must also allow the
        /// user or one of its groups. Only the policy fields the evaluation needs are asked for.
        /// </summary>
        public async Task<VpnAccessRules> ReadAccessRulesAsync(CancellationToken cancellationToken)
        {
            Task<RestResponse> settings = Client.SendAsync(HttpMethod.Get, "/api/v2/cmdb/vpn.ssl/settings", null, cancellationToken);
            Task<RestResponse> policies = Client.SendAsync(HttpMethod.Get, SslVpnPolicyFields, null, cancellationToken);
            await Task.WhenAll(settings, policies).ConfigureAwait(false);
            Client.EnsureSuccess(settings.Result, "Reading the SSL-VPN settings");
            JToken ssl = Results(settings.Result).FirstOrDefault();
            if (policies.Result.Code == 403)
            {
                // An API profile may read VPN settings without the firewall's: the portal still tells something.
                return new FortiGateSslVpnRules(ssl, "HTTP 403: the REST API admin's profile may not read firewall policies");
            }

            Client.EnsureSuccess(policies.Result, "Reading the firewall policies");
            return new FortiGateSslVpnRules(ssl, Results(policies.Result).ToList());
        }

        /// <inheritdoc />
        public async Task<bool> GroupExistsAsync(string group, CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, GroupsPath + "/" + Uri.EscapeDataString(group), null, cancellationToken).ConfigureAwait(false);
            if (response.Code == 404)
            {
                return false;
            }

            Client.EnsureSuccess(response, $"Reading user group '{group}'");
            return true;
        }

        /// <inheritdoc />
        public async Task CreateUserAsync(VpnUserRequest request, CancellationToken cancellationToken)
        {
            if (request.ChangePasswordAtSignIn)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"FortiGate local users cannot be made to change their password at sign-in; user '{request.UserName}' was not created.", "Leave out -ChangePasswordAtSignIn for FortiGate.");
            }

            string password = SecretText.Reveal(request.Password);
            var body = new JObject
            {
                ["name"] = request.UserName,
                ["type"] = "password",
                ["passwd"] = password,
                ["status"] = request.Enabled == false ? "disable" : "enable",
            };
            RestResponse refused = await UserCreationOverRest.PostOnceAsync(Client, UsersPath, body, request.UserName,
                async token => await FindUserAsync(request.UserName, token).ConfigureAwait(false) != null, cancellationToken).ConfigureAwait(false);
            if (refused != null)
            {
                EnsureSuccess(refused, $"Creating user '{request.UserName}'", password);
            }

            if (request.Groups != null && request.Groups.Count > 0)
            {
                await SetUserGroupsAsync(request.UserName, request.Groups, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <inheritdoc />
        public async Task SetUserEnabledAsync(string userName, bool enabled, CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Put, UserPath(userName), new JObject { ["status"] = enabled ? "enable" : "disable" }, cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, $"{(enabled ? "Enabling" : "Disabling")} user '{userName}'");
            if (!enabled)
            {
                await VpnSessionCleanup.EndAllAsync(this, userName, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <inheritdoc />
        public async Task SetUserPasswordAsync(string userName, SecureString password, bool changeAtSignIn, CancellationToken cancellationToken)
        {
            if (changeAtSignIn)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"FortiGate local users cannot be made to change their password at sign-in; the password of '{userName}' was not changed.", "Leave out -ChangePasswordAtSignIn for FortiGate.");
            }

            string clear = SecretText.Reveal(password);
            RestResponse response;
            if (FortiOsVersion != null && FortiOsVersion >= ChangePasswordEndpointSince)
            {
                // FortiOS 7.4 and later document POST monitor/user/local/change-password with
                // {"username", "new_password"} (FortiOS 7.4 REST API reference, Fortinet Developer
                // Network: monitor/user/local/change-password). Setting the same password again
                // has the same effect, so a lost answer may be repeated.
                var body = new JObject { ["username"] = VpnUserName.Validate(userName), ["new_password"] = clear };
                response = await Client.SendAsync(HttpMethod.Post, "/api/v2/monitor/user/local/change-password", body, cancellationToken, token => Task.FromResult(true)).ConfigureAwait(false);
            }
            else
            {
                // Before 7.4 (and when the version could not be read) the password is a field of
                // the user: PUT cmdb/user/local/{name} with passwd (FortiOS CLI reference, config
                // user local, set passwd).
                response = await Client.SendAsync(HttpMethod.Put, UserPath(userName), new JObject { ["passwd"] = clear }, cancellationToken).ConfigureAwait(false);
            }

            EnsureSuccess(response, $"Setting the password of user '{userName}'", clear);
        }

        /// <summary>Membership lives in each group's member list, so each changed group is rewritten whole.</summary>
        public async Task SetUserGroupsAsync(string userName, IReadOnlyList<string> groups, CancellationToken cancellationToken)
        {
            // Group member lists are replaced whole: two users changed at once must not lose each other's edit.
            await groupWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var wanted = new HashSet<string>(groups ?? new string[0], StringComparer.Ordinal);
                RestResponse response = await Client.SendAsync(HttpMethod.Get, GroupsPath, null, cancellationToken).ConfigureAwait(false);
                Client.EnsureSuccess(response, "Listing user groups");
                var missing = wanted.Except(Results(response).Select(g => (string)g["name"]), StringComparer.Ordinal).ToList();
                if (missing.Count > 0)
                {
                    // Checked before any group is rewritten, so a typo changes nothing.
                    throw new ApplianceException(ApplianceErrorKind.NotFound, $"The user group(s) {string.Join(", ", missing)} do not exist on {Info.Address}; user '{userName}' was not changed.", "Create the group on the FortiGate first.");
                }

                foreach (JToken group in Results(response))
                {
                    string name = (string)group["name"];
                    var members = ((group["member"] as JArray) ?? new JArray()).Select(m => (string)m["name"]).ToList();
                    bool isMember = members.Contains(userName, StringComparer.Ordinal);
                    bool shouldBe = wanted.Remove(name);
                    if (isMember == shouldBe)
                    {
                        continue;
                    }

                    if (shouldBe)
                    {
                        members.Add(userName);
                    }
                    else
                    {
                        members.RemoveAll(m => m == userName);
                    }

                    var body = new JObject { ["member"] = new JArray(members.Select(m => new JObject { ["name"] = m })) };
                    RestResponse put = await Client.SendAsync(HttpMethod.Put, GroupsPath + "/" + Uri.EscapeDataString(name), body, cancellationToken).ConfigureAwait(false);
                    EnsureSuccess(put, $"Updating the members of group '{name}'");
                }

            }
            finally
            {
                groupWrites.Release();
            }
        }

        /// <summary>Ends the user's sessions, takes the user out of every group (FortiOS refuses to delete a member), then deletes it.</summary>
        /// <remarks>
        /// When the delete fails after the user was taken out of its groups, the error says so and
        /// names the groups: the user still exists but no longer has the access those groups gave.
        /// </remarks>
        public async Task RemoveUserAsync(string userName, CancellationToken cancellationToken)
        {
            Dictionary<string, List<string>> membership = await GroupMembershipAsync(cancellationToken).ConfigureAwait(false);
            string[] groupsBefore = membership.TryGetValue(userName, out var list) ? list.ToArray() : new string[0];
            await VpnSessionCleanup.EndAllAsync(this, userName, cancellationToken).ConfigureAwait(false);
            await SetUserGroupsAsync(userName, new string[0], cancellationToken).ConfigureAwait(false);
            try
            {
                RestResponse response = await Client.SendAsync(HttpMethod.Delete, UserPath(userName), null, cancellationToken).ConfigureAwait(false);
                if (response.Code == 404)
                {
                    return;
                }

                EnsureSuccess(response, $"Removing user '{userName}'");
            }
            catch (ApplianceException error) when (groupsBefore.Length > 0)
            {
                string groups = string.Join(",", groupsBefore);
                throw new ApplianceException(
                    error.Kind,
                    $"User '{userName}' on {Info.Address} was taken out of its groups ({groups}) and its sessions were ended, but deleting it failed: {error.Message}",
                    $"{error.Remedy} Then run Remove-RoVpnUser again, or give the user its groups back with Set-RoVpnUser -UserName {userName} -Group {groups}.".Trim(),
                    error);
            }
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<VpnSession>> GetSessionsAsync(string userName, CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, "/api/v2/monitor/vpn/ssl", null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, "Listing SSL-VPN sessions");
            var sessions = Results(response).Select(ToSession).ToList();
            return userName == null ? sessions : sessions.Where(s => string.Equals(s.UserName, userName, StringComparison.Ordinal)).ToList();
        }

        /// <summary>
        /// Ends one web session (and its tunnel) by index. FortiOS reuses indexes, so the index is
        /// looked up first: when it is gone, or now holds another sign-in (another user, client
        /// address or sign-in time), nothing is ended and the session counts as already ended.
        /// </summary>
        public async Task<bool> DisconnectSessionAsync(VpnSession session, CancellationToken cancellationToken)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            if (session.SessionId == null || !int.TryParse(session.SessionId, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"'{session.SessionId}' is not a FortiGate SSL-VPN session index (a number); nothing was disconnected on {Info.Address}.", "Pass sessions from Get-RoVpnSession of this appliance.");
            }

            if (session.Appliance != null && !string.Equals(session.Appliance, Info.Address, StringComparison.Ordinal))
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"Session {index} belongs to {session.Appliance}, not to {Info.Address}; nothing was disconnected.", "Disconnect it through a connection to the appliance that reported it.");
            }

            if (string.IsNullOrEmpty(session.UserName))
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"Session {index} carries no user name, so whether the index still belongs to the same sign-in cannot be checked; nothing was disconnected on {Info.Address}.", "Pass sessions from Get-RoVpnSession of this appliance.");
            }

            VpnSession holder = (await GetSessionsAsync(null, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(s => s.SessionId == session.SessionId);
            if (holder == null || !IsSameSignIn(holder, session))
            {
                return false;
            }

            var body = new JObject { ["type"] = "websession", ["index"] = index };
            // Not repeated after a lost answer: the index may already belong to someone else's new session.
            RestResponse response = await Client.SendAsync(HttpMethod.Post, "/api/v2/monitor/vpn/ssl/delete", body, cancellationToken).ConfigureAwait(false);
            if (response.Code == 404)
            {
                return false;
            }

            EnsureSuccess(response, $"Ending session {index} of '{session.UserName}'");
            return true;
        }

        // What the caller knows of the sign-in must match what holds the index now; an address or
        // time the caller does not know is not compared.
        private static bool IsSameSignIn(VpnSession current, VpnSession wanted)
        {
            return string.Equals(current.UserName, wanted.UserName, StringComparison.Ordinal)
                && (wanted.ClientAddress == null || string.Equals(current.ClientAddress, wanted.ClientAddress, StringComparison.Ordinal))
                && (wanted.SignInTime == null || current.SignInTime == wanted.SignInTime);
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<VpnCapacity>> GetCapacityAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, "/api/v2/monitor/vpn/ssl/stats", null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, "Reading SSL-VPN statistics");
            JToken results = response.Json?["results"];
            return new[]
            {
                new VpnCapacity
                {
                    Node = Info.Name,
                    ActiveSessions = results?["current"]?["users"]?.Value<int?>() ?? 0,
                    MaximumSessions = results?["max"]?["users"]?.Value<int?>(),
                    LimitSource = "Platform",
                    Appliance = Info.Address,
                },
            };
        }

        /// <inheritdoc />
        public async Task<VpnClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, "/api/v2/monitor/system/ha-peer", null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, "Reading the HA peers");
            var nodes = Results(response).Select(peer => new VpnClusterNode
            {
                Name = (string)peer["hostname"],
                Role = (bool?)peer["primary"] == true ? "Leader" : "Member",
                OwnsVip = (bool?)peer["primary"] == true,
                Reachable = true,
                Status = new[] { "serial " + (string)peer["serial_no"], "priority " + (string)peer["priority"] },
            }).ToArray();
            if (nodes.Length == 0)
            {
                nodes = new[] { new VpnClusterNode { Name = Info.Name, Role = "Standalone", OwnsVip = true, Reachable = true } };
            }

            return new VpnClusterStatus
            {
                ClusterName = Info.Name,
                ClusterEnabled = nodes.Length > 1,
                Leader = nodes.FirstOrDefault(n => n.Role != "Member")?.Name,
                VipOwner = nodes.FirstOrDefault(n => n.OwnsVip)?.Name,
                Nodes = nodes,
                Appliance = Info.Address,
            };
        }

        /// <summary>The global configuration backup, with the encrypted password values withheld.</summary>
        public async Task<ConfigBackup> ExportConfigAsync(CancellationToken cancellationToken)
        {
            // GET ?scope= below FortiOS 7.6.0, POST {"scope"} from 7.6.0 (PowerFGT monitor/system/config/backup.ps1); the other verb answers 405.
            const string path = "/api/v2/monitor/system/config/backup";
            RestResponse response = await Client.SendAsync(HttpMethod.Get, path + "?scope=global", null, cancellationToken).ConfigureAwait(false);
            if (response.Code == 405)
            {
                response = await Client.SendAsync(HttpMethod.Post, path, new JObject { ["scope"] = "global" }, cancellationToken, token => Task.FromResult(true)).ConfigureAwait(false);
            }

            Client.EnsureSuccess(response, "Exporting the configuration");
            string text = WithholdSecrets(response.Text);
            var backup = new ConfigBackup { Driver = Info.Driver, Appliance = Info.Address, Time = DateTimeOffset.UtcNow };
            backup.Sections["fortigate.conf"] = text;
            return backup;
        }

        /// <summary>FortiOS table keys ignore case.</summary>
        public StringComparer UserNameComparer => StringComparer.OrdinalIgnoreCase;

        /// <summary>The users of the backup's "config user local" with their "config user group" memberships.</summary>
        public IReadOnlyList<BackupUser> ReadUsers(ConfigBackup backup) => FortiGateBackupUsers.Read(backup);

        /// <summary>The backup's "config user group" entries; only firewall groups (the kind local users are members of) can be created again.</summary>
        public IReadOnlyList<BackupGroup> ReadGroups(ConfigBackup backup) => FortiGateBackupUsers.ReadGroups(backup);

        /// <inheritdoc />
        public async Task<IReadOnlyList<string>> GetGroupNamesAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, GroupsPath, null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, "Listing user groups");
            return Results(response).Select(g => (string)g["name"]).ToList();
        }

        /// <summary>POST cmdb/user/group with the name and group-type firewall, no members: the users bring those back.</summary>
        public async Task CreateGroupAsync(BackupGroup group, CancellationToken cancellationToken)
        {
            var body = new JObject { ["name"] = group.Name, ["group-type"] = "firewall" };
            RestResponse response = await Client.SendAsync(HttpMethod.Post, GroupsPath, body, cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, $"Creating user group '{group.Name}'");
        }

        /// <summary>
        /// Withholds every value FortiOS stores as a secret: its ENC values have been reversible
        /// (CVE-2019-6693), and private keys span several lines.
        /// </summary>
        internal static string WithholdSecrets(string configuration)
        {
            string text = Regex.Replace(configuration, "(?s)\"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----\"", "\"(withheld)\"");
            return Regex.Replace(text, @"(?m)^(\s*set\s+[\w-]*(passwd|password|passphrase|psksecret|secret|pwd|key|token)[\w-]*\s+).*$", "$1(withheld)");
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                groupWrites.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <inheritdoc />
        public Task<FirewallPolicy> GetPolicyAsync(CancellationToken cancellationToken) => firewall.GetPolicyAsync(cancellationToken);

        /// <inheritdoc />
        public Task<string> ExportPolicyAsync(CancellationToken cancellationToken) => firewall.ExportAsync(cancellationToken);

        /// <inheritdoc />
        public Task ReplacePolicyAsync(FirewallPolicy policy, CancellationToken cancellationToken) => firewall.ReplaceAsync(policy, cancellationToken);

        // FortiOS interface names: at most 15 characters (CLI Reference, config system interface); "any" matches all.
        private static IReadOnlyList<string> CheckInterfaces(string[] names, string setting)
        {
            if (names == null || names.Length == 0)
            {
                throw new ArgumentException($"The FortiGate setting {setting} needs at least one interface name (or any).");
            }

            foreach (string name in names)
            {
                if (string.IsNullOrWhiteSpace(name) || name.Length > 15 || name.Any(c => char.IsControl(c) || c == '"' || c == '\\'))
                {
                    throw new ArgumentException($"The FortiGate setting {setting} has '{name}', which is not an interface name (1-15 characters, no quotes or control characters).");
                }
            }

            return names.ToList();
        }

        private static IEnumerable<JToken> Results(RestResponse response)
        {
            JToken results = response.Json?["results"];
            return results is JArray array ? array : results != null ? new[] { results } : Enumerable.Empty<JToken>();
        }

        private static string UserPath(string userName) => UsersPath + "/" + Uri.EscapeDataString(VpnUserName.Validate(userName));

        private async Task<Dictionary<string, List<string>>> GroupMembershipAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, GroupsPath, null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, "Listing user groups");
            var membership = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (JToken group in Results(response))
            {
                foreach (JToken member in (group["member"] as JArray) ?? new JArray())
                {
                    string user = (string)member["name"];
                    if (!membership.TryGetValue(user, out var list))
                    {
                        membership[user] = list = new List<string>();
                    }

                    list.Add((string)group["name"]);
                }
            }

            return membership;
        }

        // A policy read the appliance refuses (an HTTP error: the API profile may lack the
        // permission) leaves the expiry unknown; one it does not answer fails like any request.
        private async Task<JToken> PasswordPolicyAsync(string name, CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, PasswordPoliciesPath + "/" + Uri.EscapeDataString(name), null, cancellationToken).ConfigureAwait(false);
            return response.IsSuccess ? Results(response).FirstOrDefault() : null;
        }

        private async Task<Dictionary<string, JToken>> PasswordPoliciesAsync(CancellationToken cancellationToken)
        {
            RestResponse response = await Client.SendAsync(HttpMethod.Get, PasswordPoliciesPath, null, cancellationToken).ConfigureAwait(false);
            var policies = new Dictionary<string, JToken>(StringComparer.OrdinalIgnoreCase);
            foreach (JToken policy in response.IsSuccess ? Results(response) : Enumerable.Empty<JToken>())
            {
                string name = (string)policy["name"];
                if (!string.IsNullOrEmpty(name))
                {
                    policies[name] = policy;
                }
            }

            return policies;
        }

        private static JToken PolicyOf(JToken user, Dictionary<string, JToken> policies) =>
            policies.TryGetValue((string)user["passwd-policy"] ?? string.Empty, out JToken policy) ? policy : null;

        private VpnUser ToUser(JToken user, Dictionary<string, List<string>> membership, JToken passwordPolicy, DateTimeOffset now)
        {
            var result = new VpnUser
            {
                UserName = (string)user["name"],
                FullName = (string)user["email-to"],
                Enabled = (string)user["status"] != "disable",
                Groups = membership.TryGetValue((string)user["name"], out var groups) ? groups.ToArray() : new string[0],
                Appliance = Info.Address,
                Driver = Info.Driver,
            };

            // FortiOS has no "change at next sign-in" flag on local users: MustChangePassword stays unknown.
            FortiGatePasswordPolicy.Apply(result, user, passwordPolicy, now);
            return result;
        }

        private VpnSession ToSession(JToken session)
        {
            var subsessions = (session["subsessions"] as JArray) ?? new JArray();
            return new VpnSession
            {
                SessionId = (string)session["index"],
                UserName = (string)session["user_name"],
                ClientAddress = (string)session["remote_host"],
                TunnelAddress = (string)subsessions.FirstOrDefault()?["aip"],
                Node = Info.Name,
                // last_login_time has no zone, and which zone it is written in is not documented:
                // the clock time is kept, marked as of an unknown zone.
                SignInTime = DateTime.TryParseExact((string)session["last_login_time"], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime t)
                    ? new DateTimeOffset(t, TimeSpan.Zero) : (DateTimeOffset?)null,
                SignInTimeZoneKnown = false,
                BytesIn = subsessions.Count == 0 ? (long?)null : subsessions.Sum(s => s["in_bytes"]?.Value<long>() ?? 0),
                BytesOut = subsessions.Count == 0 ? (long?)null : subsessions.Sum(s => s["out_bytes"]?.Value<long>() ?? 0),
                Agent = subsessions.Count == 0 ? "web" : "tunnel",
                Appliance = Info.Address,
            };
        }

        // FortiOS answers some failures with an error code in the envelope (424/500); -23 is "entry in use".
        private void EnsureSuccess(RestResponse response, string what, params string[] requestSecrets)
        {
            if (!response.IsSuccess && FortiOsErrorParser.CliCode(response) == FortiOsErrorParser.EntryInUse)
            {
                throw new ApplianceException(ApplianceErrorKind.InUse, $"{what} failed on {Info.Address}: the entry is still in use (FortiOS error -23, for example by a firewall policy).", "Remove the references to it on the FortiGate first.");
            }

            Client.EnsureSuccess(response, what, requestSecrets);
        }
    }
}
