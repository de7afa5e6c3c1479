using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Vpn.Ocserv
{
    /// <summary>
    /// The users of an ocserv backup: its "users" section is the password file with every hash
    /// withheld and the lock mark ('!') kept, so it gives names, groups and the enabled state.
    /// </summary>
    internal static class OcservBackupUsers
    {
        internal const string Section = "users";

        internal static IReadOnlyList<BackupUser> Read(ConfigBackup backup)
        {
            if (backup == null || !backup.Sections.TryGetValue(Section, out string users) || users == null)
            {
                throw new ApplianceException(ApplianceErrorKind.InvalidRequest, "The backup has no 'users' section, so it holds no ocserv users to restore.", "Use a backup made by Export-RoVpnConfig from an ocserv connection.");
            }

            return OcpasswdFile.Parse(users)
                .Select(entry => new BackupUser { UserName = entry.UserName, Enabled = !entry.Locked, Groups = entry.Groups.ToArray() })
                .ToList();
        }
    }
}
