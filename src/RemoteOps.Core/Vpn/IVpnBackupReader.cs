using System;
using System.Collections.Generic;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// Reads the users out of a backup that the same driver exported, so that Import-RoVpnConfig
    /// can put them back. Each driver knows its own backup format; the restoring is shared
    /// (<see cref="VpnConfigRestore"/>).
    /// </summary>
    public interface IVpnBackupReader
    {
        /// <summary>How the appliance compares user names: ordinal for ocserv, ignoring case for the others.</summary>
        StringComparer UserNameComparer { get; }

        /// <summary>The users of <paramref name="backup"/>, in backup order.</summary>
        /// <exception cref="RemoteOps.Core.Errors.ApplianceException">The backup lacks the users, is damaged, or the driver cannot restore from its backups (NotSupported).</exception>
        IReadOnlyList<BackupUser> ReadUsers(ConfigBackup backup);
    }
}
