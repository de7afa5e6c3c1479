using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Vpn.Ocserv
{
    /// <summary>
    /// ocserv (OpenConnect VPN server) managed over SSH with its own tools: occtl for sessions
    /// and status, ocpasswd for the users of its plain (password file) authentication.
    /// Checked against ocserv 1.1.6 (Debian 12) and the occtl man page; see docs/drivers.md.
    /// </summary>
    /// <remarks>
    /// <para>Every write is checked by reading the password file back, because ocpasswd reports
    /// success for users that are not there. Writes on one appliance run one at a time: ocpasswd
    /// locks the file by creating FILE.tmp, so two writers at once would fail.</para>
    /// <para>Passwords go to ocpasswd on standard input, never on a command line, and never
    /// appear in messages. Hashes are never returned: users carry name, groups and state only,
    /// and exported backups show "(hash withheld)".</para>
    /// <para>The appliance owns the shell it was opened with: disposing it closes the shell.</para>
    /// </remarks>
    public sealed class OcservAppliance : IVpnAppliance, IVpnBackupReader, IVpnSessionLimit, IVpnGateway
    {
        /// <summary>The driver name in <see cref="ApplianceInfo.Driver"/>.</summary>
        public const string DriverName = "Ocserv";

        /// <summary>What the driver can do.</summary>
        public const ApplianceCapabilities DriverCapabilities = ApplianceCapabilities.VpnUsers | ApplianceCapabilities.VpnSessions
            | ApplianceCapabilities.VpnCapacity | ApplianceCapabilities.VpnCluster | ApplianceCapabilities.ConfigBackup;

        private static readonly Regex GroupName = new Regex(@"^[A-Za-z0-9._-]{1,64}\z", RegexOptions.CultureInvariant);
        private static readonly Regex SessionIdForm = new Regex(@"^[0-9]{1,10}\z", RegexOptions.CultureInvariant);

        private readonly IRemoteShell shell;
        private readonly SemaphoreSlim writeLock = new SemaphoreSlim(1, 1);
        private readonly string configPerGroup;
        private readonly string notPlainAuth;
        private TimeSpan? serverOffset;
        private bool disposed;

        private OcservAppliance(IRemoteShell shell, string configPath, string passwdPath, string occtlSocket, int? maxClients, string configPerGroup, string notPlainAuth)
        {
            this.shell = shell;
            ConfigPath = configPath;
            PasswdPath = passwdPath;
            OcctlSocket = occtlSocket;
            MaximumClients = maxClients;
            this.configPerGroup = configPerGroup;
            this.notPlainAuth = notPlainAuth;
            Info = new ApplianceInfo { Driver = DriverName, Address = shell.Host, Name = shell.Host };
        }

        /// <inheritdoc />
        public ApplianceInfo Info { get; }

        /// <inheritdoc />
        public ApplianceCapabilities Capabilities => DriverCapabilities;

        /// <summary>ocserv users belong to groups (ocpasswd's group field).</summary>
        public bool SupportsUserGroups => true;

        /// <summary>
        /// ocpasswd 1.1.6 hashes with the system's crypt, which takes at most 511 bytes: from 512
        /// bytes on it writes crypt's failure token "*0" as the hash (no password matches it) and
        /// still exits 0 (tried with Debian 12's ocpasswd 1.1.6). It reads one line, so no line
        /// breaks or NUL; other characters, tabs and spaces included, are hashed as given.
        /// </summary>
        public VpnPasswordRules PasswordRules => Rules;

        internal static VpnPasswordRules Rules { get; } = new VpnPasswordRules("ocserv (ocpasswd)", 511, null, refuseAllControlCharacters: false);

        /// <summary>The configuration file read when connecting.</summary>
        public string ConfigPath { get; }

        /// <summary>The ocpasswd file the users live in (given, or found in the configuration).</summary>
        public string PasswdPath { get; }

        /// <summary>occtl's socket, or null for occtl's built-in default.</summary>
        public string OcctlSocket { get; }

        /// <summary>max-clients from the configuration, or null when unlimited.</summary>
        public int? MaximumClients { get; }

        /// <summary>max-same-clients from the configuration, or null when unlimited (0) or not set.</summary>
        public int? MaximumSessionsPerUser { get; private set; }

        /// <inheritdoc />
        public string SessionLimitSource { get; private set; }

        /// <summary>https:// on the address the driver reached over SSH, at ocserv's tcp-port.</summary>
        public Uri GatewayAddress { get; private set; }

        /// <summary>The system's trust: ocserv's certificate is not known to the driver.</summary>
        public TlsTrust GatewayTrust => TlsTrust.SystemValidation;

        /// <summary>ocserv speaks the AnyConnect protocol.</summary>
        public string OpenconnectProtocol => "anyconnect";

        /// <summary>
        /// Reads the configuration (once), works out the password file, occtl socket and
        /// max-clients, and checks that ocserv answers occtl. The shell is not disposed when
        /// this fails: the caller still owns it then.
        /// </summary>
        public static async Task<OcservAppliance> OpenAsync(IRemoteShell shell, OcservOptions options, CancellationToken cancellationToken)
        {
            if (shell == null)
            {
                throw new ArgumentNullException(nameof(shell));
            }

            options = options ?? new OcservOptions();
            string configPath = CheckPath(options.ConfigPath ?? OcservOptions.DefaultConfigPath, "ConfigPath");
            SshCommandOutput read = await RunAsync(shell, $"Reading {configPath}", OcservCommands.ReadFile(configPath), null, cancellationToken).ConfigureAwait(false);
            if (read.ExitCode != 0)
            {
                ApplianceException failure = OcservFailure.FromOutput($"Reading {configPath}", shell.Host, read);
                if (failure.Kind == ApplianceErrorKind.Failed && read.StandardError.IndexOf("No such file", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw new ApplianceException(ApplianceErrorKind.NotFound, failure.Message, "Give the path of ocserv.conf on the appliance (-ConfigPath).");
                }

                throw failure;
            }

            OcservConfig config = OcservConfig.Parse(read.StandardOutput);
            string passwdPath = options.PasswdPath;
            string notPlain = null;
            if (passwdPath == null)
            {
                OcservConfig.AuthMethod plain = config.PlainAuth;
                passwdPath = plain?.PasswdFile ?? OcservOptions.DefaultPasswdPath;
                if (plain == null && config.AuthMethods.Count > 0)
                {
                    notPlain = string.Join(", ", config.AuthMethods.Select(m => m.Name));
                }
            }

            string socket = options.OcctlSocket ?? config.OcctlSocketFile;
            var appliance = new OcservAppliance(
                shell,
                configPath,
                CheckPath(passwdPath, "PasswdPath"),
                socket == null ? null : CheckPath(socket, "OcctlSocket"),
                config.MaxClients,
                string.IsNullOrEmpty(config.ConfigPerGroup) ? null : config.ConfigPerGroup,
                notPlain);
            appliance.MaximumSessionsPerUser = config.MaxSameClients;
            appliance.SessionLimitSource = $"max-same-clients in {configPath}";
            // The shell names its target as user@host[:port]; users' clients reach the same host at ocserv's tcp-port.
            appliance.GatewayAddress = new UriBuilder(Uri.UriSchemeHttps, SshTarget.Parse(shell.Host).Host, config.TcpPort).Uri;

            await appliance.ReadServerInfoAsync(cancellationToken).ConfigureAwait(false);
            await appliance.ReadStatusAsync(cancellationToken).ConfigureAwait(false);
            return appliance;
        }

        /// <inheritdoc />
        public async Task<IReadOnlyList<VpnUser>> GetUsersAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<OcpasswdEntry> entries = await ReadEntriesAsync(cancellationToken).ConfigureAwait(false);
            return entries.Select(ToUser).ToList();
        }

        /// <inheritdoc />
        public async Task<VpnUser> FindUserAsync(string userName, CancellationToken cancellationToken)
        {
            CheckUserName(userName);
            OcpasswdEntry entry = OcpasswdFile.Find(await ReadEntriesAsync(cancellationToken).ConfigureAwait(false), userName);
            return entry == null ? null : ToUser(entry);
        }

        /// <summary>
        /// ocserv groups are free-form names (a user's groups are whatever the password file
        /// says), so any well-formed name exists, unless config-per-group is set: then a group
        /// exists when its file does in that directory. A name ocserv cannot take (a space, a
        /// slash) is refused as invalid, not reported as missing: no file could make it exist.
        /// </summary>
        public async Task<bool> GroupExistsAsync(string group, CancellationToken cancellationToken)
        {
            if (!IsValidGroup(group))
            {
                throw InvalidGroup(group, null);
            }

            if (configPerGroup == null)
            {
                return true;
            }

            string path = configPerGroup.TrimEnd('/') + "/" + group;
            SshCommandOutput output = await RunAsync($"Looking for group '{group}' in {configPerGroup}", OcservCommands.FileExists(path), null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode == 0)
            {
                return true;
            }

            if (output.ExitCode == 1 && output.StandardError.Trim().Length == 0)
            {
                return false;
            }

            throw OcservFailure.FromOutput($"Looking for group '{group}' in {configPerGroup}", Info.Address, output);
        }

        /// <summary>
        /// Creates the user with ocpasswd (password on standard input), locks it when the
        /// request says disabled, and checks the result in the file.
        /// </summary>
        public async Task CreateUserAsync(VpnUserRequest request, CancellationToken cancellationToken)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            string user = CheckUserName(request.UserName);
            string groupField = request.Groups == null ? null : GroupField(user, request.Groups);
            RefuseChangeAtSignIn(user, request.ChangePasswordAtSignIn);
            string password = CheckedPassword(user, request.Password);
            EnsureUsersManaged(user);

            await WriteAsync(async () =>
            {
                if (OcpasswdFile.Find(await ReadEntriesAsync(cancellationToken).ConfigureAwait(false), user) != null)
                {
                    throw new ApplianceException(ApplianceErrorKind.AlreadyExists, $"User '{user}' already exists in {PasswdPath} on {Info.Address}; it was not changed.", "Use Set-RoVpnUser to change an existing user.");
                }

                await RunCheckedAsync($"Creating user '{user}' with ocpasswd", OcservCommands.SetPassword(PasswdPath, groupField, user), password + "\n", password, cancellationToken).ConfigureAwait(false);
                bool locked = request.Enabled == false;
                if (locked)
                {
                    await RunCheckedAsync($"Disabling new user '{user}' with ocpasswd", OcservCommands.Ocpasswd(PasswdPath, "-l", user), null, null, cancellationToken).ConfigureAwait(false);
                }

                OcpasswdEntry after = await ReadUserAsync(user, "created", cancellationToken).ConfigureAwait(false);
                RequireUsableHash(user, after, "created");
                string[] wanted = OcpasswdFile.SplitGroups(groupField);
                if (after.Locked != locked || !after.Groups.SequenceEqual(wanted, StringComparer.Ordinal))
                {
                    throw VerificationFailed(user, $"it reads {Describe(after)} instead of {Describe(locked, wanted)}");
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Locks (ocpasswd -l) or unlocks (-u) the user. Locking does not end a live ocserv
        /// session, so disabling also disconnects the user with occtl.
        /// </summary>
        public async Task SetUserEnabledAsync(string userName, bool enabled, CancellationToken cancellationToken)
        {
            string user = CheckUserName(userName);
            EnsureUsersManaged(user);
            await WriteAsync(async () =>
            {
                OcpasswdEntry before = await RequireUserAsync(user, cancellationToken).ConfigureAwait(false);
                if (before.Locked == enabled)
                {
                    string verb = enabled ? "Enabling" : "Disabling";
                    await RunCheckedAsync($"{verb} user '{user}' with ocpasswd", OcservCommands.Ocpasswd(PasswdPath, enabled ? "-u" : "-l", user), null, null, cancellationToken).ConfigureAwait(false);
                    OcpasswdEntry after = await ReadUserAsync(user, enabled ? "enabled" : "disabled", cancellationToken).ConfigureAwait(false);
                    if (after.Locked == enabled)
                    {
                        throw VerificationFailed(user, $"it is still {(enabled ? "locked" : "unlocked")}");
                    }
                }

                if (!enabled)
                {
                    await EndSessionsAsync(user, "disabled", cancellationToken).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Sets a new password with ocpasswd. ocpasswd rewrites the whole line, which would
        /// reset the groups to "*" and unlock the user; so the current groups are passed with
        /// -g and a locked user is locked again, and a password reset changes nothing else.
        /// A locked user is briefly unlocked between the two ocpasswd runs (a fraction of a
        /// second, and only with the new password).
        /// </summary>
        public async Task SetUserPasswordAsync(string userName, SecureString password, bool changeAtSignIn, CancellationToken cancellationToken)
        {
            string user = CheckUserName(userName);
            RefuseChangeAtSignIn(user, changeAtSignIn);
            string clear = CheckedPassword(user, password);
            EnsureUsersManaged(user);
            await WriteAsync(async () =>
            {
                OcpasswdEntry before = await RequireUserAsync(user, cancellationToken).ConfigureAwait(false);
                await RunCheckedAsync($"Setting the password of user '{user}' with ocpasswd", OcservCommands.SetPassword(PasswdPath, before.GroupField, user), clear + "\n", clear, cancellationToken).ConfigureAwait(false);
                if (before.Locked)
                {
                    try
                    {
                        await RunCheckedAsync($"Locking user '{user}' again with ocpasswd", OcservCommands.Ocpasswd(PasswdPath, "-l", user), null, null, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ApplianceException error)
                    {
                        throw new ApplianceException(
                            error.Kind,
                            $"The password of user '{user}' on {Info.Address} was set, but the user could not be locked again and is now ENABLED: {error.Message}",
                            $"Disable the user again (Set-RoVpnUser -Enabled $false). {error.Remedy}".Trim(),
                            error);
                    }
                }

                OcpasswdEntry after = await ReadUserAsync(user, "given a new password", cancellationToken).ConfigureAwait(false);
                RequireUsableHash(user, after, "given a new password");
                if (after.HashDigest == before.HashDigest)
                {
                    throw VerificationFailed(user, "its password hash did not change");
                }

                if (after.Locked != before.Locked || after.GroupField != before.GroupField)
                {
                    throw VerificationFailed(user, $"it reads {Describe(after)} instead of {Describe(before)}");
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Replaces the user's groups by rewriting the group field of the user's line in place
        /// (see <see cref="OcservCommands.SetGroupsScript"/>). ocpasswd cannot change groups
        /// without setting a password, and the driver does not know the password; the hash and
        /// the lock state are kept as they are. An empty list writes "*" (no group).
        /// </summary>
        public async Task SetUserGroupsAsync(string userName, IReadOnlyList<string> groups, CancellationToken cancellationToken)
        {
            string user = CheckUserName(userName);
            string groupField = GroupField(user, groups ?? new string[0]);
            EnsureUsersManaged(user);
            await WriteAsync(async () =>
            {
                OcpasswdEntry before = await RequireUserAsync(user, cancellationToken).ConfigureAwait(false);
                if (before.GroupField == groupField)
                {
                    return;
                }

                await RewriteGroupFieldAsync(user, groupField, cancellationToken).ConfigureAwait(false);
                OcpasswdEntry after = await ReadUserAsync(user, "given new groups", cancellationToken).ConfigureAwait(false);
                if (after.GroupField != groupField || after.HashDigest != before.HashDigest || after.Locked != before.Locked)
                {
                    throw VerificationFailed(user, $"it reads {Describe(after)} instead of {Describe(before.Locked, OcpasswdFile.SplitGroups(groupField))}");
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Deletes the user (ocpasswd -d), checks that the line is gone, then ends the user's
        /// sessions. The order matters: once the line is gone no new sign-in can succeed (plain
        /// auth reads the file at every login), so a client that reconnects at once is refused.
        /// A user that is not in the file is not an error; its sessions are still ended.
        /// </summary>
        public async Task RemoveUserAsync(string userName, CancellationToken cancellationToken)
        {
            string user = CheckUserName(userName);
            EnsureUsersManaged(user);
            await WriteAsync(async () =>
            {
                if (OcpasswdFile.Find(await ReadEntriesAsync(cancellationToken).ConfigureAwait(false), user) != null)
                {
                    await RunCheckedAsync($"Removing user '{user}' with ocpasswd", OcservCommands.Ocpasswd(PasswdPath, "-d", user), null, null, cancellationToken).ConfigureAwait(false);
                    if (OcpasswdFile.Find(await ReadEntriesAsync(cancellationToken).ConfigureAwait(false), user) != null)
                    {
                        throw VerificationFailed(user, "it is still in the file after ocpasswd -d");
                    }
                }

                await EndSessionsAsync(user, "removed", cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Sessions from occtl show users. Only users in state "connected" are sessions: workers
        /// still authenticating have no tunnel (they do count in "Active sessions" of the status).
        /// User names are compared exactly, as ocserv does.
        /// </summary>
        public async Task<IReadOnlyList<VpnSession>> GetSessionsAsync(string userName, CancellationToken cancellationToken)
        {
            if (userName != null)
            {
                CheckUserName(userName);
            }

            JToken users = await OcctlJsonAsync("Listing sessions with occtl", cancellationToken, "show", "users").ConfigureAwait(false);
            IReadOnlyList<VpnSession> sessions = OcctlJson.ReadSessions(users, Info.Name, Info.Address, serverOffset);
            return userName == null ? sessions : sessions.Where(s => string.Equals(s.UserName, userName, StringComparison.Ordinal)).ToList();
        }

        /// <summary>
        /// Ends one session with occtl disconnect id. ocserv's session IDs are worker process
        /// IDs, which the system reuses, so the ID is first looked up: when it is gone, or now
        /// belongs to another user, nothing is disconnected and the answer is false.
        /// </summary>
        public async Task<bool> DisconnectSessionAsync(VpnSession session, CancellationToken cancellationToken)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            string id = session.SessionId;
            if (id == null || !SessionIdForm.IsMatch(id))
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"'{Printable(id)}' is not an ocserv session ID (ocserv's IDs are numbers); nothing was disconnected on {Info.Address}.", "Pass sessions from Get-RoVpnSession of this appliance.");
            }

            if (session.Appliance != null && !string.Equals(session.Appliance, Info.Address, StringComparison.Ordinal))
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"Session {id} belongs to {session.Appliance}, not to {Info.Address}; nothing was disconnected.", "Disconnect it through a connection to the appliance that reported it.");
            }

            string lookUp = $"Looking up session {id} with occtl";
            SshCommandOutput shown = await RunAsync(lookUp, OcservCommands.Occtl(OcctlSocket, true, "show", "id", id), null, cancellationToken).ConfigureAwait(false);
            JToken current = TryParse(shown.StandardOutput);
            if (current == null)
            {
                if (shown.ExitCode == 0 && !shown.TimedOut)
                {
                    throw NotJson(lookUp);
                }

                if (shown.TimedOut || !NotFoundText(shown))
                {
                    throw OcservFailure.FromOutput(lookUp, Info.Address, shown);
                }

                return false;
            }

            JObject holder = (current as JArray)?.OfType<JObject>().FirstOrDefault(e => OcctlJson.Text(e["ID"]) == id);
            if (holder == null || (session.UserName != null && !string.Equals(OcctlJson.Text(holder["Username"]), session.UserName, StringComparison.Ordinal)))
            {
                return false;
            }

            string action = $"Disconnecting session {id} of '{session.UserName}' with occtl";
            SshCommandOutput output = await RunAsync(action, OcservCommands.Occtl(OcctlSocket, false, "disconnect", "id", id), null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode == 0 && !output.TimedOut)
            {
                return true;
            }

            if (output.ExitCode == 1 && CouldNotDisconnect(output))
            {
                return false;
            }

            throw OcservFailure.FromOutput(action, Info.Address, output);
        }

        /// <summary>One node: "Active sessions" from occtl show status against max-clients.</summary>
        public async Task<IReadOnlyList<VpnCapacity>> GetCapacityAsync(CancellationToken cancellationToken)
        {
            JToken status = await ReadStatusAsync(cancellationToken).ConfigureAwait(false);
            int? active = OcctlJson.ActiveSessions(status);
            if (!active.HasValue)
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"occtl show status on {Info.Address} did not report \"Active sessions\".", "Check the ocserv version (occtl --version); RemoteOps reads ocserv 1.1 and later.");
            }

            return new[]
            {
                new VpnCapacity
                {
                    Node = Info.Name,
                    ActiveSessions = active.Value,
                    MaximumSessions = MaximumClients,
                    LimitSource = "Configured",
                    Appliance = Info.Address,
                },
            };
        }

        /// <summary>ocserv has no high availability: one standalone node, reachable when occtl answers.</summary>
        public async Task<VpnClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken)
        {
            var node = new VpnClusterNode { Name = Info.Name, Address = Info.Address, Role = "Standalone", OwnsVip = true, Reachable = true };
            try
            {
                JToken status = await ReadStatusAsync(cancellationToken).ConfigureAwait(false);
                string state = OcctlJson.Text(status?["Status"]);
                node.Status = state == null ? new string[0] : new[] { state };
            }
            catch (ApplianceException error) when (error.Kind == ApplianceErrorKind.Unreachable)
            {
                node.Reachable = false;
                node.Status = new[] { "not answering: " + error.Message };
            }

            return new VpnClusterStatus
            {
                ClusterName = Info.Name,
                ClusterEnabled = false,
                Leader = Info.Name,
                VipOwner = Info.Name,
                Nodes = new[] { node },
                Appliance = Info.Address,
            };
        }

        /// <summary>
        /// Sections "ocserv.conf" (as on disk), "users" (the password file with every hash
        /// replaced by "(hash withheld)", '!' kept so locked users show) and "status" (occtl show
        /// status, indented; also when ocserv reports itself offline).
        /// </summary>
        public async Task<ConfigBackup> ExportConfigAsync(CancellationToken cancellationToken)
        {
            SshCommandOutput config = await RunAsync($"Reading {ConfigPath}", OcservCommands.ReadFile(ConfigPath), null, cancellationToken).ConfigureAwait(false);
            if (config.ExitCode != 0 || config.TimedOut)
            {
                throw OcservFailure.FromOutput($"Reading {ConfigPath}", Info.Address, config);
            }

            string users = await ReadPasswdTextAsync(cancellationToken).ConfigureAwait(false);
            SshCommandOutput status = await RunAsync("Reading the status with occtl", OcservCommands.Occtl(OcctlSocket, true, "show", "status"), null, cancellationToken).ConfigureAwait(false);
            JToken statusJson = status.TimedOut ? null : TryParse(status.StandardOutput);
            if (!(statusJson is JObject))
            {
                throw status.ExitCode == 0 && !status.TimedOut
                    ? NotJson("Reading the status with occtl")
                    : OcservFailure.FromOutput("Reading the status with occtl", Info.Address, status);
            }

            var backup = new ConfigBackup { Driver = Info.Driver, Appliance = Info.Address, Time = DateTimeOffset.UtcNow };
            backup.Sections["ocserv.conf"] = config.StandardOutput;
            backup.Sections["users"] = OcpasswdFile.Redact(users);
            backup.Sections["status"] = statusJson.ToString(Formatting.Indented);
            return backup;
        }

        /// <summary>ocserv compares user names with strcmp: "Alice" and "alice" are two users.</summary>
        public StringComparer UserNameComparer => StringComparer.Ordinal;

        /// <summary>The users of an ocserv backup's "users" section (hashes withheld, lock marks kept).</summary>
        public IReadOnlyList<BackupUser> ReadUsers(ConfigBackup backup) => OcservBackupUsers.Read(backup);

        /// <summary>Closes the shell.</summary>
        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                shell.Dispose();
                writeLock.Dispose();
            }
        }

        /// <summary>
        /// <see cref="VpnUserName.Validate"/>, plus a refusal of a trailing line break: its
        /// pattern ends in '$', which also matches before a final "\n", and a name with a line
        /// break would split its line in the password file.
        /// </summary>
        internal static string CheckUserName(string userName)
        {
            VpnUserName.Validate(userName);
            if (userName.IndexOf('\n') >= 0 || userName.IndexOf('\r') >= 0)
            {
                throw new ArgumentException($"'{Printable(userName)}' is not a valid VPN user name: use {VpnUserName.ValidForm}.");
            }

            return userName;
        }

        internal static bool IsValidGroup(string group)
            => group != null && GroupName.IsMatch(group) && group.Trim('.').Length > 0;

        private static string CheckPath(string path, string name)
        {
            if (string.IsNullOrWhiteSpace(path) || path.IndexOf('\0') >= 0 || path.IndexOf('\n') >= 0 || path.IndexOf('\r') >= 0)
            {
                throw new ArgumentException($"{name} '{Printable(path)}' is not a usable path on the appliance: give an absolute path such as {OcservOptions.DefaultConfigPath}.", name);
            }

            return path;
        }

        private static void RefuseChangeAtSignIn(string user, bool changeAtSignIn)
        {
            if (changeAtSignIn)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"ocserv cannot make user '{user}' choose a new password at sign-in; nothing was changed.", "Leave out -ChangePasswordAtSignIn for ocserv appliances.");
            }
        }

        private static string CheckedPassword(string user, SecureString password)
        {
            if (password == null || password.Length == 0)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, $"No password was given for user '{user}'; nothing was changed.", "Give -Password or -GeneratePassword.");
            }

            Rules.Check(user, password);
            return SecretText.Reveal(password);
        }

        private static string GroupField(string user, IReadOnlyList<string> groups)
        {
            var distinct = new List<string>();
            foreach (string group in groups)
            {
                if (!IsValidGroup(group))
                {
                    throw InvalidGroup(group, user);
                }

                if (!distinct.Contains(group, StringComparer.Ordinal))
                {
                    distinct.Add(group);
                }
            }

            return distinct.Count == 0 ? "*" : string.Join(",", distinct);
        }

        private static ApplianceException InvalidGroup(string group, string user)
            => new ApplianceException(
                ApplianceErrorKind.InvalidRequest,
                $"'{Printable(group)}' is not a valid ocserv group name" + (user == null ? string.Empty : $" for user '{user}'") + ": use 1 to 64 letters, digits and . _ - (no spaces); nothing was changed.",
                "Check the group names.");

        private static string Describe(OcpasswdEntry entry) => Describe(entry.Locked, entry.Groups);

        private static string Describe(bool locked, string[] groups)
            => (locked ? "disabled" : "enabled") + ", groups " + (groups.Length == 0 ? "(none)" : string.Join(",", groups));

        private static bool CouldNotDisconnect(SshCommandOutput output)
            => (output.StandardOutput + output.StandardError).IndexOf("could not disconnect", StringComparison.OrdinalIgnoreCase) >= 0;

        private static bool NotFoundText(SshCommandOutput output)
            => (output.StandardOutput + output.StandardError).IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0;

        private static JToken TryParse(string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                return OcctlJson.Parse(text);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string Printable(string value)
        {
            if (value == null)
            {
                return "(null)";
            }

            var text = new System.Text.StringBuilder();
            foreach (char c in value.Length > 80 ? value.Substring(0, 80) + "..." : value)
            {
                text.Append(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString());
            }

            return text.ToString();
        }

        private static Task<SshCommandOutput> RunAsync(IRemoteShell shell, string action, string[] command, string standardInput, CancellationToken cancellationToken)
            => GuardAsync(shell, action, () => shell.RunPrivilegedAsync(command, standardInput, cancellationToken));

        private static Task<SshCommandOutput> RunUnprivilegedAsync(IRemoteShell shell, string action, string commandLine, CancellationToken cancellationToken)
            => GuardAsync(shell, action, () => shell.RunAsync(commandLine, null, cancellationToken));

        private static async Task<SshCommandOutput> GuardAsync(IRemoteShell shell, string action, Func<Task<SshCommandOutput>> run)
        {
            try
            {
                return await run().ConfigureAwait(false);
            }
            catch (SshChannelRefusedException error)
            {
                // The connection is fine and the command never ran: reconnecting would not help.
                throw new ApplianceException(
                    ApplianceErrorKind.Busy,
                    $"{action} on {shell.Host} did not run: {error.Message}",
                    "Retry with a lower -ThrottleLimit, or raise MaxSessions in the appliance's sshd_config.",
                    error);
            }
            catch (Exception error) when (!(error is OperationCanceledException) && !(error is ApplianceException) && !(error is ArgumentException))
            {
                throw new ApplianceException(ApplianceErrorKind.Unreachable, $"{action} on {shell.Host} failed: {error.Message}", "Check the SSH connection to the appliance and reconnect (Connect-RoVpnAppliance).", error);
            }
        }

        private Task<SshCommandOutput> RunAsync(string action, string[] command, string standardInput, CancellationToken cancellationToken)
        {
            if (disposed)
            {
                throw new ObjectDisposedException(nameof(OcservAppliance), $"The connection to {Info.Address} is closed; connect again (Connect-RoVpnAppliance).");
            }

            return RunAsync(shell, action, command, standardInput, cancellationToken);
        }

        private async Task RunCheckedAsync(string action, string[] command, string standardInput, string secret, CancellationToken cancellationToken)
        {
            SshCommandOutput output = await RunAsync(action, command, standardInput, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0 || output.TimedOut)
            {
                throw OcservFailure.FromOutput(action, Info.Address, output, secret, PasswdPath, isWrite: true);
            }
        }

        private async Task WriteAsync(Func<Task> write, CancellationToken cancellationToken)
        {
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await write().ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        private void EnsureUsersManaged(string user)
        {
            if (notPlainAuth != null)
            {
                throw new ApplianceException(
                    ApplianceErrorKind.InvalidRequest,
                    $"ocserv on {Info.Address} signs users in with {notPlainAuth}, not with an ocpasswd file; user '{user}' was not changed.",
                    $"Manage these users where that method keeps them, or, if ocserv should read an ocpasswd file, name it in {ConfigPath} (auth = \"plain[passwd=/etc/ocserv/ocpasswd]\") and connect again.");
            }
        }

        /// <summary>
        /// Rewrites the group field of the user's line under ocpasswd's lock (see
        /// <see cref="OcservCommands.Lock"/>): the hash and lock state stay as they are.
        /// </summary>
        private async Task RewriteGroupFieldAsync(string user, string groupField, CancellationToken cancellationToken)
        {
            string action = $"Setting the groups of user '{user}' in {PasswdPath}";
            SshCommandOutput locked = await RunAsync(action, OcservCommands.Lock(PasswdPath), null, cancellationToken).ConfigureAwait(false);
            if (locked.ExitCode != 0 || locked.TimedOut)
            {
                if (locked.ExitCode == 1 && locked.StandardError.IndexOf("File exists", StringComparison.Ordinal) >= 0)
                {
                    throw OcservFailure.FromOutput(action, Info.Address, new SshCommandOutput(1, string.Empty, $"file '{PasswdPath}.tmp' is locked.", false), null, PasswdPath, isWrite: true);
                }

                throw OcservFailure.FromOutput(action, Info.Address, locked, null, PasswdPath, isWrite: true);
            }

            bool replaced = false;
            try
            {
                string text = await ReadPasswdTextAsync(cancellationToken).ConfigureAwait(false);
                string rewritten = OcpasswdFile.WithGroupField(text, user, groupField) ?? throw NotFound(user);
                await RunCheckedAsync(action, OcservCommands.CopyForRewrite(PasswdPath), null, null, cancellationToken).ConfigureAwait(false);
                await RunCheckedAsync(action, OcservCommands.WriteRewrite(PasswdPath), rewritten, null, cancellationToken).ConfigureAwait(false);
                await RunCheckedAsync(action, OcservCommands.ReplaceWithRewrite(PasswdPath), null, null, cancellationToken).ConfigureAwait(false);
                replaced = true;
            }
            finally
            {
                // Always drop the lock: a lock left behind would stop every later ocpasswd. When
                // the rewrite itself failed, that failure is the one to report.
                try
                {
                    SshCommandOutput unlocked = await RunAsync($"Releasing the lock {PasswdPath}.tmp", OcservCommands.Unlock(PasswdPath), null, CancellationToken.None).ConfigureAwait(false);
                    if (replaced && (unlocked.ExitCode != 0 || unlocked.TimedOut))
                    {
                        throw OcservFailure.FromOutput($"The groups of user '{user}' were set, but releasing the lock {PasswdPath}.tmp", Info.Address, unlocked, null, PasswdPath, isWrite: true);
                    }
                }
                catch (ApplianceException) when (!replaced)
                {
                }
            }
        }

        private async Task<string> ReadPasswdTextAsync(CancellationToken cancellationToken)
        {
            string action = $"Reading {PasswdPath}";
            SshCommandOutput output = await RunAsync(action, OcservCommands.ReadFile(PasswdPath), null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode == 1 && !output.TimedOut && output.StandardError.IndexOf("No such file or directory", StringComparison.Ordinal) >= 0)
            {
                // No file yet: no users (ocpasswd creates it with the first one).
                return string.Empty;
            }

            if (output.ExitCode != 0 || output.TimedOut)
            {
                throw OcservFailure.FromOutput(action, Info.Address, output);
            }

            return output.StandardOutput;
        }

        private async Task<IReadOnlyList<OcpasswdEntry>> ReadEntriesAsync(CancellationToken cancellationToken)
            => OcpasswdFile.Parse(await ReadPasswdTextAsync(cancellationToken).ConfigureAwait(false));

        private async Task<OcpasswdEntry> RequireUserAsync(string user, CancellationToken cancellationToken)
            => OcpasswdFile.Find(await ReadEntriesAsync(cancellationToken).ConfigureAwait(false), user) ?? throw NotFound(user);

        private async Task<OcpasswdEntry> ReadUserAsync(string user, string what, CancellationToken cancellationToken)
            => OcpasswdFile.Find(await ReadEntriesAsync(cancellationToken).ConfigureAwait(false), user)
                ?? throw VerificationFailed(user, $"it should have been {what}, but it is not in the file");

        // ocpasswd exits 0 even when crypt failed and it wrote "*0": nobody could sign in.
        private void RequireUsableHash(string user, OcpasswdEntry entry, string what)
        {
            if (!entry.HashUsable)
            {
                throw new ApplianceException(
                    ApplianceErrorKind.Failed,
                    $"ocpasswd reported success for user '{user}' on {Info.Address}, but the password hash it wrote to {PasswdPath} is not a usable hash: the user was {what}, yet nobody can sign in with that password.",
                    $"Set a new password for the user (Set-RoVpnUser -Password), or remove it; passwords ocserv can store: {Rules.Describe()}.");
            }
        }

        private ApplianceException NotFound(string user)
            => new ApplianceException(ApplianceErrorKind.NotFound, $"User '{user}' is not in {PasswdPath} on {Info.Address}.", "Check the name (Get-RoVpnUser lists the users).");

        private ApplianceException VerificationFailed(string user, string what)
            => new ApplianceException(
                ApplianceErrorKind.Failed,
                $"ocpasswd reported success for user '{user}' on {Info.Address}, but reading {PasswdPath} back shows {what}.",
                $"Check that {PasswdPath} is the file ocserv reads (auth = \"plain[passwd=...]\" in {ConfigPath}) and that nothing else rewrites it, then retry.");

        private async Task EndSessionsAsync(string user, string done, CancellationToken cancellationToken)
        {
            string action = $"Disconnecting user '{user}' with occtl";
            SshCommandOutput output = await RunAsync(action, OcservCommands.Occtl(OcctlSocket, false, "disconnect", "user", user), null, cancellationToken).ConfigureAwait(false);
            if ((output.ExitCode == 0 && !output.TimedOut) || (output.ExitCode == 1 && CouldNotDisconnect(output)))
            {
                // "could not disconnect user": the user had no session.
                return;
            }

            ApplianceException failure = OcservFailure.FromOutput(action, Info.Address, output);
            throw new ApplianceException(
                failure.Kind,
                $"User '{user}' was {done} on {Info.Address}, but the user's sessions could not be ended: {failure.Message}",
                $"End them with Disconnect-RoVpnSession -UserName {user} (or occtl disconnect user {user}) once occtl answers. {failure.Remedy}".Trim(),
                failure);
        }

        private async Task<JToken> OcctlJsonAsync(string action, CancellationToken cancellationToken, params string[] words)
        {
            SshCommandOutput output = await RunAsync(action, OcservCommands.Occtl(OcctlSocket, true, words), null, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0 || output.TimedOut)
            {
                throw OcservFailure.FromOutput(action, Info.Address, output);
            }

            if (string.IsNullOrWhiteSpace(output.StandardOutput))
            {
                return new JArray();
            }

            try
            {
                return OcctlJson.Parse(output.StandardOutput);
            }
            catch (JsonException error)
            {
                throw NotJson(action, error);
            }
        }

        private ApplianceException NotJson(string action, JsonException error = null)
            => new ApplianceException(
                ApplianceErrorKind.Failed,
                $"{action} on {Info.Address}: occtl's answer is not the JSON expected" + (error == null ? "." : $" ({error.Message})."),
                "Check the ocserv version (occtl --version); RemoteOps reads ocserv 1.1 and later.",
                error);

        private async Task<JToken> ReadStatusAsync(CancellationToken cancellationToken)
        {
            JToken status = await OcctlJsonAsync("Reading the status with occtl", cancellationToken, "show", "status").ConfigureAwait(false);
            if (!(status is JObject))
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"occtl show status on {Info.Address} did not answer with a JSON object.", "Check the ocserv version (occtl --version); RemoteOps reads ocserv 1.1 and later.");
            }

            return status;
        }

        private async Task ReadServerInfoAsync(CancellationToken cancellationToken)
        {
            SshCommandOutput output = await RunUnprivilegedAsync(shell, "Reading the host name and ocserv version", OcservCommands.ServerInfo, cancellationToken).ConfigureAwait(false);
            if (output.TimedOut)
            {
                throw OcservFailure.FromOutput("Reading the host name and ocserv version", Info.Address, output);
            }

            foreach (string raw in output.StandardOutput.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    continue;
                }

                string value = line.Substring(equals + 1).Trim();
                switch (line.Substring(0, equals))
                {
                    case "name" when value.Length > 0:
                        Info.Name = value;
                        break;
                    case "offset":
                        serverOffset = ParseOffset(value);
                        break;
                    case "version" when value.Length > 0:
                        Info.Version = value;
                        break;
                }
            }
        }

        // date +%z: "+0100", "-0330".
        private static TimeSpan? ParseOffset(string text)
        {
            if (text.Length != 5 || (text[0] != '+' && text[0] != '-')
                || !int.TryParse(text.Substring(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
                || !int.TryParse(text.Substring(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
                || hours > 14 || minutes > 59)
            {
                return null;
            }

            var offset = new TimeSpan(hours, minutes, 0);
            return text[0] == '-' ? offset.Negate() : offset;
        }

        private VpnUser ToUser(OcpasswdEntry entry) => new VpnUser
        {
            UserName = entry.UserName,
            Enabled = !entry.Locked,
            Groups = entry.Groups.ToArray(),
            Appliance = Info.Address,
            Driver = Info.Driver,

            // An ocpasswd line is user:group:hash and nothing more (ocpasswd(8)): plain
            // authentication has no password age, expiry or change-at-sign-in flag.
            PasswordExpired = false,
        };
    }
}
