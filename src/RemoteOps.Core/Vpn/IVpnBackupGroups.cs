using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// Implemented by drivers whose user groups are objects of their own on the appliance, so
    /// that Import-RoVpnConfig can create the groups of a backup before the users that need them
    /// (<see cref="VpnGroupsRestore"/>). Members are not set here: they come back with the users.
    /// </summary>
    public interface IVpnBackupGroups
    {
        /// <summary>The groups of <paramref name="backup"/> the driver manages, in backup order.</summary>
        /// <exception cref="RemoteOps.Core.Errors.ApplianceException">The backup is damaged or lacks the section the groups are in.</exception>
        IReadOnlyList<BackupGroup> ReadGroups(ConfigBackup backup);

        /// <summary>The names of the groups on the appliance.</summary>
        Task<IReadOnlyList<string>> GetGroupNamesAsync(CancellationToken cancellationToken);

        /// <summary>Creates an empty group as the backup describes it.</summary>
        Task CreateGroupAsync(BackupGroup group, CancellationToken cancellationToken);
    }
}
