using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Tests.Vpn.Restore
{
    /// <summary>An appliance that keeps users in memory, records every write and the password each user was created with.</summary>
    internal sealed class RestoreFakeAppliance : IVpnAppliance
    {
        internal readonly ConcurrentDictionary<string, VpnUser> Users = new ConcurrentDictionary<string, VpnUser>(StringComparer.OrdinalIgnoreCase);
        internal readonly Dictionary<string, string> CreatedWith = new Dictionary<string, string>(StringComparer.Ordinal);
        internal readonly List<string> Writes = new List<string>();
        internal readonly HashSet<string> Groups = new HashSet<string>(StringComparer.Ordinal) { "staff", "vpn-eu" };

        /// <summary>Runs after each create (a test stops the restore there).</summary>
        internal Action<string> AfterCreate;

        /// <summary>A user whose enabling reports success but does not take effect.</summary>
        internal string IgnoresEnable;

        public ApplianceInfo Info { get; } = new ApplianceInfo { Driver = "Fake", Address = "fake.test" };

        public ApplianceCapabilities Capabilities => ApplianceCapabilities.VpnUsers;

        public bool SupportsUserGroups { get; set; } = true;

        public VpnPasswordRules PasswordRules { get; set; }

        internal RestoreFakeAppliance With(string userName, bool enabled = true, params string[] groups)
        {
            Users[userName] = new VpnUser { UserName = userName, Enabled = enabled, Groups = groups };
            return this;
        }

        public Task<IReadOnlyList<VpnUser>> GetUsersAsync(CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlyList<VpnUser>>(Users.Values.Select(Copy).OrderBy(u => u.UserName, StringComparer.Ordinal).ToList());

        public Task<VpnUser> FindUserAsync(string userName, CancellationToken cancellationToken)
            => Task.FromResult(Users.TryGetValue(userName, out var user) ? Copy(user) : null);

        public Task<bool> GroupExistsAsync(string group, CancellationToken cancellationToken) => Task.FromResult(Groups.Contains(group));

        public Task CreateUserAsync(VpnUserRequest request, CancellationToken cancellationToken)
        {
            lock (Writes)
            {
                Writes.Add("create:" + request.UserName);
                CreatedWith[request.UserName] = RemoteOps.Core.Audit.SecretText.Reveal(request.Password);
            }

            Users[request.UserName] = new VpnUser { UserName = request.UserName, Enabled = request.Enabled != false, Groups = request.Groups?.ToArray() ?? new string[0] };
            AfterCreate?.Invoke(request.UserName);
            cancellationToken.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }

        public Task SetUserEnabledAsync(string userName, bool enabled, CancellationToken cancellationToken)
        {
            lock (Writes)
            {
                Writes.Add((enabled ? "enable:" : "disable:") + userName);
            }

            if (!(enabled && userName == IgnoresEnable))
            {
                Users[userName].Enabled = enabled;
            }

            return Task.CompletedTask;
        }

        public Task SetUserPasswordAsync(string userName, SecureString password, bool changeAtSignIn, CancellationToken cancellationToken)
        {
            lock (Writes)
            {
                Writes.Add("password:" + userName);
            }

            return Task.CompletedTask;
        }

        public Task SetUserGroupsAsync(string userName, IReadOnlyList<string> groups, CancellationToken cancellationToken)
        {
            lock (Writes)
            {
                Writes.Add("groups:" + userName);
            }

            Users[userName].Groups = groups.ToArray();
            return Task.CompletedTask;
        }

        public Task RemoveUserAsync(string userName, CancellationToken cancellationToken)
        {
            lock (Writes)
            {
                Writes.Add("remove:" + userName);
            }

            Users.TryRemove(userName, out _);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<VpnSession>> GetSessionsAsync(string userName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DisconnectSessionAsync(VpnSession session, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<VpnCapacity>> GetCapacityAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<VpnClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ConfigBackup> ExportConfigAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private static VpnUser Copy(VpnUser user) => new VpnUser { UserName = user.UserName, Enabled = user.Enabled, Groups = user.Groups.ToArray(), Appliance = "fake.test", Driver = "Fake" };
    }
}
