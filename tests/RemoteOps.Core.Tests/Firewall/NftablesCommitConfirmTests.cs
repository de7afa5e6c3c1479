using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Firewall;
using RemoteOps.Core.Firewall.Nftables;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Tests.Vpn.Ocserv;
using Xunit;

namespace RemoteOps.Core.Tests.Firewall
{
    /// <summary>
    /// The host side of the nftables commit-confirm, run with the local /bin/sh, setsid, sed and
    /// date, and a stand-in nft that logs what it is asked to load: the timer really sleeps,
    /// really outlives the command that started it, and really races Confirm.
    /// </summary>
    public sealed class NftablesCommitConfirmTests : IDisposable
    {
        private const string Saved = "table inet remoteops {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n";
        private readonly string root = Path.Combine(Path.GetTempPath(), "ro-nftcc-" + Guid.NewGuid().ToString("N").Substring(0, 8));

        public NftablesCommitConfirmTests()
        {
            Directory.CreateDirectory(Path.Combine(root, "bin"));
            // Logs each -f load with its file's content; -c of a file holding BROKEN fails, as nft would.
            File.WriteAllText(Path.Combine(root, "bin", "nft"),
                "#!/bin/sh\n" +
                "case \"$*\" in\n" +
                "  --version) echo 'nftables v1.0.6 (Lester Gooch #5)';;\n" +
                "  '-j list tables') echo '{\"nftables\": []}';;\n" +
                "  -c\\ -f\\ *) ! grep -q BROKEN \"$3\";;\n" +
                "  -f\\ *) { echo \"loaded $2\"; cat \"$2\"; } >> \"" + root + "/loads\";;\n" +
                "  *) exit 1;;\n" +
                "esac\n");
            Process.Start("chmod", $"+x {root}/bin/nft").WaitForExit();
        }

        public void Dispose()
        {
            // Any timer a failed test left behind: only ours (their command line names our directory).
            foreach (string pid in Pids(root))
            {
                Process.Start("kill", "-KILL -- -" + pid)?.WaitForExit();
            }

            Directory.Delete(root, true);
        }

        [PosixFact]
        public async Task TheTimerLoadsTheSavedTableAtTheDeadlineAfterTheStartingCommandEndedAndReportsItOnce()
        {
            using NftablesFirewall firewall = await Open();

            FirewallChange armed = await firewall.ArmRollbackAsync("0123456789ab", TimeSpan.FromSeconds(4), "Replace\nthe rules", Saved, CancellationToken.None);

            Assert.Equal(FirewallChangeState.Pending, armed.State);
            Assert.Equal(FirewallRollbackGuarantee.HostTimer, armed.RollbackGuarantee);
            Assert.Equal("setsid", armed.Timer);
            Assert.Equal("Replace the rules", armed.Description);
            Assert.InRange((armed.Deadline - DateTimeOffset.UtcNow).TotalSeconds, 0, 5);
            Assert.Single(Pids("0123456789ab"));

            IReadOnlyList<FirewallChange> seen = await WaitForSettled(firewall);
            FirewallChange done = Assert.Single(seen);
            Assert.Equal(FirewallChangeState.RolledBack, done.State);
            Assert.Equal("0123456789ab", done.ChangeId);
            Assert.Equal("loaded rollback-0123456789ab.nft\n# Written by RemoteOps: puts nftables table inet remoteops back as it was before a change.\n" +
                "table inet remoteops\ndelete table inet remoteops\n" + Saved, File.ReadAllText(Path.Combine(root, "loads")));
            Assert.Empty(await firewall.GetChangesAsync(CancellationToken.None));
            Assert.Empty(await PidsOnceEnded("0123456789ab"));
        }

        [PosixFact]
        public async Task ConfirmStopsTheTimerAndNothingIsLoaded()
        {
            using NftablesFirewall firewall = await Open();
            await firewall.ArmRollbackAsync("aaaaaaaaaaaa", TimeSpan.FromSeconds(2), "x", Saved, CancellationToken.None);

            FirewallChange kept = await firewall.ConfirmAsync("aaaaaaaaaaaa", CancellationToken.None);

            Assert.Equal(FirewallChangeState.Confirmed, kept.State);
            Assert.Empty(Pids("aaaaaaaaaaaa"));
            await Task.Delay(3000);
            Assert.False(File.Exists(Path.Combine(root, "loads")));
            Assert.Empty(await firewall.GetChangesAsync(CancellationToken.None));
            Assert.Equal(new[] { "fire.sh" }, Directory.GetFiles(Path.Combine(root, "state", "inet-remoteops")).Select(Path.GetFileName));
            var again = await Assert.ThrowsAsync<ApplianceException>(() => firewall.ConfirmAsync("aaaaaaaaaaaa", CancellationToken.None));
            Assert.Equal(ApplianceErrorKind.NotFound, again.Kind);
        }

        [PosixFact]
        public async Task UndoLoadsTheSavedTableAtOnceAndStopsTheTimer()
        {
            using NftablesFirewall firewall = await Open();
            await firewall.ArmRollbackAsync("bbbbbbbbbbbb", TimeSpan.FromSeconds(60), "x", string.Empty, CancellationToken.None);

            FirewallChange undone = await firewall.UndoAsync("bbbbbbbbbbbb", CancellationToken.None);

            Assert.Equal(FirewallChangeState.RolledBack, undone.State);
            Assert.Empty(Pids("bbbbbbbbbbbb"));
            // No table before the change: the rollback only deletes it.
            Assert.EndsWith("table inet remoteops\ndelete table inet remoteops\n", File.ReadAllText(Path.Combine(root, "loads")));
            Assert.Empty(await firewall.GetChangesAsync(CancellationToken.None));
        }

        [PosixFact]
        public async Task ASecondChangeWhileOneIsPendingIsRefusedAndTheFirstStays()
        {
            using NftablesFirewall firewall = await Open();
            await firewall.ArmRollbackAsync("cccccccccccc", TimeSpan.FromSeconds(60), "x", Saved, CancellationToken.None);

            var busy = await Assert.ThrowsAsync<ApplianceException>(() => firewall.ArmRollbackAsync("dddddddddddd", TimeSpan.FromSeconds(60), "y", Saved, CancellationToken.None));

            Assert.Equal(ApplianceErrorKind.InUse, busy.Kind);
            Assert.Contains("cccccccccccc", busy.Message);
            FirewallChange pending = Assert.Single(await firewall.GetChangesAsync(CancellationToken.None));
            Assert.Equal("cccccccccccc", pending.ChangeId);
            Assert.Equal(FirewallChangeState.Pending, pending.State);
            await firewall.ConfirmAsync("cccccccccccc", CancellationToken.None);
        }

        [PosixFact]
        public async Task ASavedTableThatDoesNotLoadBackArmsNothing()
        {
            using NftablesFirewall firewall = await Open();

            var refused = await Assert.ThrowsAsync<ApplianceException>(() => firewall.ArmRollbackAsync("eeeeeeeeeeee", TimeSpan.FromSeconds(60), "x", "BROKEN\n", CancellationToken.None));

            Assert.Contains("does not load back", refused.Message);
            Assert.Empty(await firewall.GetChangesAsync(CancellationToken.None));
            Assert.Empty(Pids("eeeeeeeeeeee"));
        }

        [PosixFact]
        public async Task APendingChangeWhoseTimerWasKilledIsReportedAsARollbackThatWillNotRun()
        {
            using NftablesFirewall firewall = await Open();
            await firewall.ArmRollbackAsync("ffffffffffff", TimeSpan.FromSeconds(60), "x", Saved, CancellationToken.None);
            foreach (string pid in Pids("ffffffffffff"))
            {
                Process.Start("kill", "-KILL -- -" + pid)?.WaitForExit();
            }

            await Task.Delay(200);
            FirewallChange lost = Assert.Single(await firewall.GetChangesAsync(CancellationToken.None));

            Assert.Equal(FirewallChangeState.RollbackFailed, lost.State);
            Assert.Contains("timer process", lost.Reason);
        }

        [Fact]
        public async Task OnASystemdHostTheTimerIsATransientSystemdRunUnitAndConfirmStopsIt()
        {
            var shell = new SystemdShell();
            using NftablesFirewall firewall = await NftablesFirewall.OpenAsync(shell, new NftablesOptions(), CancellationToken.None);

            FirewallChange armed = await firewall.ArmRollbackAsync("0123456789ab", TimeSpan.FromSeconds(30), "x", Saved, CancellationToken.None);
            await firewall.ConfirmAsync("0123456789ab", CancellationToken.None);

            Assert.Equal("systemd-run", armed.Timer);
            Assert.Contains(shell.Privileged, line => line.Contains("systemd-run --unit=remoteops-rollback-0123456789ab --on-active=30 --timer-property=AccuracySec=1s", StringComparison.Ordinal));
            Assert.Contains(shell.Privileged, line => line.Contains("/bin/sh /home/admin/.remoteops/nftables/inet-remoteops/fire.sh /home/admin/.remoteops/nftables/inet-remoteops 0123456789ab now nosudo timer", StringComparison.Ordinal));
            Assert.Contains(shell.Privileged, line => line.Contains("systemctl stop remoteops-rollback-0123456789ab.timer", StringComparison.Ordinal));
        }

        [Fact]
        public async Task AChangeIdOrDirectoryThatCouldReachTheShellIsRefused()
        {
            using NftablesFirewall firewall = await NftablesFirewall.OpenAsync(new SystemdShell(), new NftablesOptions(), CancellationToken.None);

            await Assert.ThrowsAsync<ArgumentException>(() => firewall.ConfirmAsync("$(reboot)", CancellationToken.None));
            var bad = await Assert.ThrowsAsync<ArgumentException>(() => NftablesFirewall.OpenAsync(new SystemdShell(), new NftablesOptions { RollbackDirectory = "/tmp/x;rm" }, CancellationToken.None));
            Assert.Contains("RollbackDirectory '/tmp/x;rm'", bad.Message);
        }

        private Task<NftablesFirewall> Open() =>
            NftablesFirewall.OpenAsync(new LocalShell(Path.Combine(root, "bin")), new NftablesOptions { UseSudo = false, RollbackDirectory = Path.Combine(root, "state") }, CancellationToken.None);

        private static async Task<IReadOnlyList<FirewallChange>> WaitForSettled(NftablesFirewall firewall)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                IReadOnlyList<FirewallChange> changes = await firewall.GetChangesAsync(CancellationToken.None);
                if (changes.Any(c => c.State != FirewallChangeState.Pending) || DateTime.UtcNow > deadline)
                {
                    return changes;
                }

                await Task.Delay(200);
            }
        }

        // A timer reports its outcome just before it exits: on a busy machine it may be seen
        // for a moment after that.
        private static async Task<List<string>> PidsOnceEnded(string text)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            List<string> pids = Pids(text);
            while (pids.Count > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
                pids = Pids(text);
            }

            return pids;
        }

        // The pids of the processes whose command line holds the text (this test's timers only).
        private static List<string> Pids(string text)
        {
            var pids = new List<string>();
            foreach (string dir in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsDigit)))
            {
                try
                {
                    string commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                    string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    if (commandLine.Contains("fire.sh", StringComparison.Ordinal) && commandLine.Contains(text, StringComparison.Ordinal) && !stat.Contains(") Z ", StringComparison.Ordinal))
                    {
                        pids.Add(Path.GetFileName(dir));
                    }
                }
                catch (IOException)
                {
                }
            }

            return pids;
        }

        /// <summary>A host that runs systemd: answers the scripts as the real ones would and records the privileged commands.</summary>
        private sealed class SystemdShell : IRemoteShell
        {
            public string Host => "admin@fw1.lab.test:22";

            public List<string> Privileged { get; } = new List<string>();

            public Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, CancellationToken cancellationToken)
            {
                if (commandLine == "uname -n")
                {
                    return Done(0, "fw1\n");
                }

                if (commandLine.Contains("mkdir -p", StringComparison.Ordinal))
                {
                    return Done(0, "now=1000\ndeadline=1030\ndir=/home/admin/.remoteops/nftables/inet-remoteops\ntimer=systemd-run\n");
                }

                if (commandLine.Contains("grep -qx", StringComparison.Ordinal) && !commandLine.Contains("fire.sh", StringComparison.Ordinal))
                {
                    return Done(0, "id=0123456789ab\ndeadline=1030\narmed=1000\ntimer=systemd-run\nunit=remoteops-rollback-0123456789ab\nnow=1002\n");
                }

                return Done(0, string.Empty);
            }

            public Task<SshCommandOutput> RunPrivilegedAsync(IReadOnlyList<string> command, string standardInput, CancellationToken cancellationToken)
            {
                Privileged.Add(string.Join(" ", command));
                return command[0] == "nft" && command.Count > 1 && command[1] == "--version" ? Done(0, "nftables v1.0.6\n") : Done(0, "{\"nftables\": []}");
            }

            public void Dispose()
            {
            }

            private static Task<SshCommandOutput> Done(int code, string output) => Task.FromResult(new SshCommandOutput(code, output, string.Empty, false));
        }
    }

    /// <summary>A fact that needs a POSIX host with /bin/sh and setsid (util-linux).</summary>
    internal sealed class PosixFactAttribute : FactAttribute
    {
        public PosixFactAttribute()
        {
            if (!OperatingSystem.IsLinux() || LocalShell.Which("setsid") == null)
            {
                Skip = "Needs Linux with /bin/sh and setsid (util-linux).";
            }
            else if (Directory.Exists("/run/systemd/system"))
            {
                Skip = "This machine runs systemd: the driver would choose systemd-run, which these tests do not drive.";
            }
        }
    }
}
