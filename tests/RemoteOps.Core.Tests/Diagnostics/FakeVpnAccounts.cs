using System;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Tests.Diagnostics
{
    /// <summary>A VPN appliance that holds one user and fixed access rules, and counts its reads.</summary>
    internal sealed class FakeVpnAccounts : IVpnAppliance, IVpnAccessMapping
    {
        private readonly VpnUser user;
        private readonly VpnAccessRules rules;

        internal FakeVpnAccounts(VpnUser user, VpnAccessRules rules = null, bool groups = true)
        {
            this.user = user;
            this.rules = rules;
            SupportsUserGroups = groups;
        }

        internal int UserReads { get; private set; }

        internal int RuleReads { get; private set; }

        public ApplianceInfo Info { get; } = new ApplianceInfo { Driver = "Fake", Address = "vpn.test" };

        public ApplianceCapabilities Capabilities => ApplianceCapabilities.VpnUsers;

        public bool SupportsUserGroups { get; }

        public VpnPasswordRules PasswordRules => new VpnPasswordRules("fake", null, 128, true);

        /// <summary>When set, user reads wait for it (and see the token they were given).</summary>
        internal Task UserReadGate { get; set; }

        public async Task<VpnUser> FindUserAsync(string userName, CancellationToken cancellationToken)
        {
            UserReads++;
            if (UserReadGate != null)
            {
                await Task.WhenAny(UserReadGate, Task.Delay(Timeout.Infinite, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }

            return user != null && user.UserName == userName ? user : null;
        }

        public Task<VpnAccessRules> ReadAccessRulesAsync(CancellationToken cancellationToken)
        {
            RuleReads++;
            return Task.FromResult(rules);
        }

        public Task<IReadOnlyList<VpnUser>> GetUsersAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> GroupExistsAsync(string group, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CreateUserAsync(VpnUserRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetUserEnabledAsync(string userName, bool enabled, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetUserPasswordAsync(string userName, SecureString password, bool changeAtSignIn, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetUserGroupsAsync(string userName, IReadOnlyList<string> groups, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RemoveUserAsync(string userName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<VpnSession>> GetSessionsAsync(string userName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DisconnectSessionAsync(VpnSession session, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<VpnCapacity>> GetCapacityAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<VpnClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ConfigBackup> ExportConfigAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
