using System;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// One VPN appliance, whatever the vendor. Drivers implement the primitive operations;
    /// planning (what to change so that a user ends up as wanted) lives in <see cref="VpnUserPlanner"/>,
    /// so that every driver is idempotent in the same way.
    /// </summary>
    /// <remarks>
    /// Failures are thrown as <see cref="ApplianceException"/> with a classified
    /// <see cref="ApplianceErrorKind"/> and a message that never holds a secret.
    /// </remarks>
    public interface IVpnAppliance : IAppliance
    {
        /// <summary>False where users have no groups of their own (Connect Secure: roles come from realm rules).</summary>
        bool SupportsUserGroups { get; }

        /// <summary>The passwords this appliance can store; checked before any request that sets one.</summary>
        VpnPasswordRules PasswordRules { get; }

        /// <summary>All local VPN users.</summary>
        Task<IReadOnlyList<VpnUser>> GetUsersAsync(CancellationToken cancellationToken);

        /// <summary>One user, or null when there is none of that name.</summary>
        Task<VpnUser> FindUserAsync(string userName, CancellationToken cancellationToken);

        /// <summary>Checks that a group (ocserv group, Connect Secure realm or role, FortiGate user group) exists.</summary>
        Task<bool> GroupExistsAsync(string group, CancellationToken cancellationToken);

        /// <summary>Creates a user that does not exist yet.</summary>
        Task CreateUserAsync(VpnUserRequest request, CancellationToken cancellationToken);

        /// <summary>Enables or disables a user; disabling also ends the user's sessions.</summary>
        Task SetUserEnabledAsync(string userName, bool enabled, CancellationToken cancellationToken);

        /// <summary>Sets a new password.</summary>
        Task SetUserPasswordAsync(string userName, SecureString password, bool changeAtSignIn, CancellationToken cancellationToken);

        /// <summary>Replaces the user's groups (where the appliance has groups per user).</summary>
        Task SetUserGroupsAsync(string userName, IReadOnlyList<string> groups, CancellationToken cancellationToken);

        /// <summary>Removes a user and ends the user's sessions.</summary>
        Task RemoveUserAsync(string userName, CancellationToken cancellationToken);

        /// <summary>Active sessions, all pages, optionally of one user only.</summary>
        Task<IReadOnlyList<VpnSession>> GetSessionsAsync(string userName, CancellationToken cancellationToken);

        /// <summary>Ends one session; false when it no longer existed.</summary>
        Task<bool> DisconnectSessionAsync(VpnSession session, CancellationToken cancellationToken);

        /// <summary>Active sessions per node against the licensed or configured maximum.</summary>
        Task<IReadOnlyList<VpnCapacity>> GetCapacityAsync(CancellationToken cancellationToken);

        /// <summary>Nodes, leader, VIP owner and reachability.</summary>
        Task<VpnClusterStatus> GetClusterStatusAsync(CancellationToken cancellationToken);

        /// <summary>A configuration backup as the appliance exports it, secrets excluded where the format allows.</summary>
        Task<ConfigBackup> ExportConfigAsync(CancellationToken cancellationToken);
    }
}
