using System.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.FortiGate;
using RemoteOps.Core.Vpn.Ocserv;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn.Restore
{
    public sealed class BackupUserReaderTests
    {
        // As FortiOS writes a global backup with VDOMs, secrets withheld by the export.
        private const string FortiGateConfig = @"#config-version=FGVM64-7.4.4-FW-build2662-240514:opmode=0:vdom=1
config vdom
edit root
next
edit dmz
next
end
config global
config system global
    set hostname ""fgt-a""
end
end
config vdom
edit root
config user local
    edit ""jo.bloggs""
        set type password
        set email-to ""jo@example.org""
        set passwd (withheld)
    next
    edit ""ann.other""
        set status disable
        set passwd (withheld)
    next
    edit ""ldap.person""
        set type ldap
        set ldap-server ""corp-ldap""
    next
    edit ""with \""quote\""""
        set passwd (withheld)
    next
end
config user group
    edit ""SSLVPN_Users""
        set member ""jo.bloggs"" ""ann.other"" ""ldap.person""
    next
    edit ""Admins Group""
        set member ""jo.bloggs""
        config match
            edit 1
                set server-name ""corp-ldap""
            next
        end
    next
    edit ""Empty""
    next
end
end
config vdom
edit dmz
config user local
    edit ""dmz.only""
        set passwd (withheld)
    next
end
end
";

        [Fact]
        public void FortiGateUsersComeFromUserLocalWithTheirGroupMembershipsOfTheRootVdom()
        {
            var backup = new ConfigBackup { Driver = "FortiGate" };
            backup.Sections["fortigate.conf"] = FortiGateConfig;

            var users = FortiGateBackupUsers.Read(backup);

            Assert.Equal(new[] { "jo.bloggs", "ann.other", "ldap.person", "with \"quote\"" }, users.Select(u => u.UserName));
            BackupUser jo = users[0];
            Assert.True(jo.Enabled);
            Assert.Equal("jo@example.org", jo.FullName);
            Assert.Equal(new[] { "SSLVPN_Users", "Admins Group" }, jo.Groups);
            Assert.Null(jo.CannotCreateBecause);
            Assert.False(users[1].Enabled);
            Assert.Equal(new[] { "SSLVPN_Users" }, users[1].Groups);
            Assert.Contains("ldap", users[2].CannotCreateBecause);
            Assert.Empty(users[3].Groups);
        }

        [Fact]
        public void AFortiGateBackupWithoutItsConfigurationSectionIsRefused()
        {
            var error = Assert.Throws<ApplianceException>(() => FortiGateBackupUsers.Read(new ConfigBackup { Driver = "FortiGate" }));
            Assert.Equal(ApplianceErrorKind.InvalidRequest, error.Kind);
            Assert.Contains("fortigate.conf", error.Message);
        }

        [Fact]
        public void OcservUsersComeFromTheUsersSectionWithTheLockMarkAsDisabled()
        {
            var backup = new ConfigBackup { Driver = "Ocserv" };
            backup.Sections["users"] = "alice:staff,vpn-eu:(hash withheld)\nbob:*:!(hash withheld)\ncarol::(hash withheld)\n";

            var users = OcservBackupUsers.Read(backup);

            Assert.Equal(new[] { "alice", "bob", "carol" }, users.Select(u => u.UserName));
            Assert.Equal(new[] { true, false, true }, users.Select(u => u.Enabled));
            Assert.Equal(new[] { "staff", "vpn-eu" }, users[0].Groups);
            Assert.Empty(users[1].Groups);
            Assert.All(users, u => Assert.Null(u.CannotCreateBecause));
        }

        [Fact]
        public void AnOcservBackupWithoutUsersIsRefused()
        {
            var error = Assert.Throws<ApplianceException>(() => OcservBackupUsers.Read(new ConfigBackup { Driver = "Ocserv" }));
            Assert.Contains("'users'", error.Message);
        }
    }
}
