using System;
using System.IO;
using System.Linq;
using RemoteOps.Core.Vpn;
using Xunit;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Tests.Vpn
{
    public sealed class VpnConfigTests
    {
        private static ConfigBackup Backup(params (string Name, string Text)[] sections)
        {
            var backup = new ConfigBackup { Driver = "Ocserv", Appliance = "vpn1", Time = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero) };
            foreach (var (name, text) in sections)
            {
                backup.Sections[name] = text;
            }

            return backup;
        }

        [Fact]
        public void ReportsAddedAndRemovedLinesPerSectionInOrder()
        {
            var before = Backup(("ocserv.conf", "a = 1\nmax-clients = 100\nc = 3\n"), ("users", "ann:staff\n"));
            var after = Backup(("ocserv.conf", "a = 1\nmax-clients = 4000\nc = 3\nd = 4\n"), ("users", "ann:staff\nbo:staff\n"));
            var diff = ConfigDiff.Compare(before, after);
            Assert.Equal(
                new[] { "ocserv.conf - 2 max-clients = 100", "ocserv.conf + 2 max-clients = 4000", "ocserv.conf + 4 d = 4", "users + 2 bo:staff" },
                diff.Select(d => $"{d.Section} {d.Change} {d.Line} {d.Text}").ToArray());
        }

        [Fact]
        public void IdenticalBackupsHaveNoDifferences()
        {
            var backup = Backup(("x", "1\n2\n"));
            Assert.Empty(ConfigDiff.Compare(backup, backup));
        }

        [Fact]
        public void ASectionOnlyOnOneSideIsAllAddedOrAllRemoved()
        {
            var diff = ConfigDiff.Compare(Backup(("old", "1\n2")), Backup(("new", "3")));
            Assert.Equal(new[] { "new +", "old -", "old -" }, diff.Select(d => $"{d.Section} {d.Change}").ToArray());
        }

        [Fact]
        public void BackupFilesRoundTrip()
        {
            string path = Path.Combine(Path.GetTempPath(), "ro-backup-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                var original = Backup(("ocserv.conf", "line 1\nline \"2\"\n"), ("users", "u:g:(hash withheld)\n"));
                ConfigBackupFile.Write(original, path);
                ConfigBackupFile.Write(original, path);
                var read = ConfigBackupFile.Read(path);
                Assert.Equal(original.Driver, read.Driver);
                Assert.Equal(original.Time, read.Time);
                Assert.Equal(original.Sections, read.Sections);
                Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path), Path.GetFileName(path) + ".partial-*"));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void AFileThatIsNotABackupIsRefusedNamingTheFile()
        {
            string path = Path.Combine(Path.GetTempPath(), "ro-notbackup-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                File.WriteAllText(path, "{\"hello\":1}");
                var error = Assert.Throws<InvalidDataException>(() => ConfigBackupFile.Read(path));
                Assert.Contains(path, error.Message);
                File.WriteAllText(path, "not json");
                Assert.Throws<InvalidDataException>(() => ConfigBackupFile.Read(path));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void CapacityMathHandlesUnlimitedAndFull()
        {
            Assert.Equal(25.0, new VpnCapacity { ActiveSessions = 1000, MaximumSessions = 4000 }.PercentUsed);
            Assert.Equal(3000, new VpnCapacity { ActiveSessions = 1000, MaximumSessions = 4000 }.LoginsRemaining);
            Assert.Equal(0, new VpnCapacity { ActiveSessions = 4100, MaximumSessions = 4000 }.LoginsRemaining);
            Assert.Null(new VpnCapacity { ActiveSessions = 5 }.PercentUsed);
            Assert.Null(new VpnCapacity { ActiveSessions = 5 }.LoginsRemaining);
        }
    }
}
