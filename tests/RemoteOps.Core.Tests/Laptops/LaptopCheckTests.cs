using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Laptops;
using Xunit;

namespace RemoteOps.Core.Tests.Laptops
{
    public class LaptopCheckTests
    {
        private static readonly LaptopBaseline Baseline = new LaptopBaseline
        {
            DiskEncryption = new DiskEncryptionRequirement { LuksVersion = 2, Cipher = "aes-xts-plain64" },
            UsbStorage = new UsbStorageRequirement(),
            VpnProfile = new VpnProfileRequirement { Name = "Corp VPN", Gateway = "vpn.example.com", Protocol = "anyconnect", ServerCertificatePin = "pin-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
            HostFirewall = new HostFirewallRequirement { ManagementNetwork = "10.20.0.0/16" },
            AutomaticSecurityUpdates = true,
            SshHardening = new SshHardeningRequirement(),
            ScreenLock = new ScreenLockRequirement { MaxIdleSeconds = 300 },
            RequiredPackages = new List<string> { "openssh-server" },
            ForbiddenPackages = new List<string> { "telnetd" },
        };

        private static readonly Dictionary<string, string> CompliantSections = new Dictionary<string, string>
        {
            ["fstab"] = "/dev/mapper/cryptroot / ext4 defaults 0 1\n/dev/mapper/cryptswap none swap sw 0 0",
            ["crypttab"] = "cryptroot UUID=1111 none luks\ncryptswap /dev/sda3 /dev/urandom swap,cipher=aes-xts-plain64",
            ["luks"] = "luks\tcryptroot\t/dev/disk/by-uuid/1111\t2\taes-xts-plain64\nrandomkey\tcryptswap\t/dev/sda3",
            ["usbguard"] = string.Empty,
            ["modprobe"] = "install usb-storage /bin/false",
            ["nm-connections"] = "file=corp.nmconnection\nconnection.id=Corp VPN\nconnection.type=vpn\nvpn.gateway=vpn.example.com\nvpn.protocol=anyconnect\nvpn.service-type=org.freedesktop.NetworkManager.openconnect\nvpn-secrets.certificate:vpn.example.com:443=pin-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
            ["nft"] = "table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tct state established,related accept\n\t\tip saddr 10.20.0.0/16 tcp dport 22 accept\n\t}\n}",
            ["apt-config"] = "UpdatePackageLists='1'\nUnattendedUpgrade='1'",
            ["sshd"] = "passwordauthentication no\nkbdinteractiveauthentication no\npermitrootlogin no",
            ["dconf-profile"] = "user-db:user\nsystem-db:local",
            ["dconf-keyfiles"] = "file=local.d/00-screen\n[org/gnome/desktop/screensaver]\nlock-enabled=true\n[org/gnome/desktop/session]\nidle-delay=uint32 300",
            ["dconf-locks"] = "locks=local.d\n/org/gnome/desktop/screensaver/lock-enabled\n/org/gnome/desktop/session/idle-delay",
            ["packages"] = "openssh-server\tii \t1:9.2\nunattended-upgrades\tii \t2.9\ntelnetd\tun \t",
        };

        private static LaptopEvidence Evidence(Dictionary<string, string> changes = null)
        {
            var sections = new Dictionary<string, string>(CompliantSections);
            foreach (KeyValuePair<string, string> change in changes ?? new Dictionary<string, string>())
            {
                sections[change.Key] = change.Value;
            }

            string text = string.Concat(sections.Select(s => $"\n{LaptopEvidenceScript.Marker}{s.Key}\n{s.Value}\n")) + $"\n{LaptopEvidenceScript.Marker}end\n";
            return LaptopEvidence.Parse(text);
        }

        private static LaptopCheckVerdict Judge(string check, Dictionary<string, string> changes = null) =>
            LaptopCheckRegistry.Find(check).Evaluate(Baseline, Evidence(changes));

        [Fact]
        public void ACompliantLaptopPassesEveryCheck()
        {
            foreach (ILaptopCheck check in LaptopCheckRegistry.For(Baseline))
            {
                LaptopCheckVerdict verdict = check.Evaluate(Baseline, Evidence());
                Assert.True(verdict.Compliance == ComplianceStatus.Compliant, $"{check.Id}: {verdict.Evidence}");
            }

            Assert.Equal(9, LaptopCheckRegistry.For(Baseline).Count);
        }

        [Theory]
        [InlineData("DiskEncryption", "fstab", "/dev/sda2 / ext4 defaults 0 1", "root: /dev/sda2 is not on a device listed in /etc/crypttab")]
        [InlineData("DiskEncryption", "luks", "notluks\tcryptroot\t/dev/disk/by-uuid/1111", "has no LUKS header")]
        [InlineData("DiskEncryption", "luks", "luks\tcryptroot\t/dev/disk/by-uuid/1111\t1\taes-xts-plain64", "LUKS2 required")]
        [InlineData("DiskEncryption", "luks", "luks\tcryptroot\t/dev/disk/by-uuid/1111\t2\taes-cbc-essiv:sha256", "cipher aes-xts-plain64 required")]
        [InlineData("UsbStorage", "modprobe", "", "usb-storage not blacklisted")]
        [InlineData("VpnProfile", "nm-connections", "", "no profile 'Corp VPN'")]
        [InlineData("VpnProfile", "nm-connections", "file=corp.nmconnection\nconnection.id=Corp VPN\nconnection.type=vpn\nvpn.gateway=vpn.evil.example\nvpn.protocol=anyconnect\nvpn.servercert=pin-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nvpn.service-type=org.freedesktop.NetworkManager.openconnect", "gateway should be vpn.example.com")]
        [InlineData("HostFirewall", "nft", "", "no chain hooked on input (empty ruleset)")]
        [InlineData("HostFirewall", "nft", "table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}", "policy accept")]
        [InlineData("HostFirewall", "nft", "table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tip saddr 10.30.0.0/16 tcp dport 22 accept\n\t}\n}", "no rule accepting SSH from 10.20.0.0/16")]
        [InlineData("AutomaticSecurityUpdates", "apt-config", "UpdatePackageLists='1'\nUnattendedUpgrade='0'", "Unattended-Upgrade \"0\"")]
        [InlineData("AutomaticSecurityUpdates", "apt-config", "UpdatePackageLists='1'", "APT::Periodic::Unattended-Upgrade not set")]
        [InlineData("DiskEncryption", "luks", "randomkey\tcryptroot\t/dev/disk/by-uuid/1111", "plain dm-crypt with a random key each boot, not LUKS")]
        [InlineData("VpnProfile", "nm-connections", "file=corp.nmconnection\nconnection.id=Corp VPN\nconnection.type=vpn\nvpn.gateway=vpn.example.com\nvpn.protocol=anyconnect\nvpn.service-type=org.freedesktop.NetworkManager.openconnect", "certificate:vpn.example.com:443=(none)")]
        [InlineData("VpnProfile", "nm-connections", "file=corp.nmconnection\nconnection.id=Corp VPN\nconnection.type=vpn\nvpn.gateway=vpn.example.com\nvpn.protocol=anyconnect\nvpn.service-type=org.freedesktop.NetworkManager.openconnect\nvpn-secrets.certificate:vpn.example.com:8443=pin-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "certificate:vpn.example.com:443 should be pin-sha256:")]
        [InlineData("AutomaticSecurityUpdates", "packages", "openssh-server\tii \t1", "unattended-upgrades not installed")]
        [InlineData("SshHardening", "sshd", "passwordauthentication yes\nkbdinteractiveauthentication no\npermitrootlogin no", "PasswordAuthentication yes")]
        [InlineData("SshHardening", "sshd", "passwordauthentication no\nkbdinteractiveauthentication no\npermitrootlogin prohibit-password", "PermitRootLogin prohibit-password")]
        [InlineData("ScreenLock", "dconf-profile", "user-db:user", "names no system database")]
        [InlineData("ScreenLock", "dconf-keyfiles", "file=local.d/00-screen\n[org/gnome/desktop/screensaver]\nlock-enabled=true\n[org/gnome/desktop/session]\nidle-delay=uint32 900", "idle-delay uint32 900")]
        [InlineData("ScreenLock", "dconf-locks", "", "(not locked)")]
        [InlineData("RequiredPackages", "packages", "openssh-server\tun \t\nunattended-upgrades\tii \t2.9", "missing: openssh-server")]
        [InlineData("ForbiddenPackages", "packages", "openssh-server\tii \t1\ntelnetd\tii \t0.17", "installed: telnetd")]
        public void ANonCompliantLaptopFailsTheCheckAndTheEvidenceSaysWhy(string check, string section, string content, string evidence)
        {
            LaptopCheckVerdict verdict = Judge(check, new Dictionary<string, string> { [section] = content });

            Assert.Equal(ComplianceStatus.NonCompliant, verdict.Compliance);
            Assert.Contains(evidence, verdict.Evidence, StringComparison.Ordinal);
        }

        [Fact]
        public void ForbiddenPackagesRemovedButConfiguredCountAsGone()
        {
            Assert.Equal(ComplianceStatus.Compliant, Judge("ForbiddenPackages", new Dictionary<string, string> { ["packages"] = "telnetd\trc \t0.17" }).Compliance);
        }

        [Fact]
        public void UsbguardBlockingMassStorageAllowsOnlyApprovedSticksAheadOfTheBlock()
        {
            var baseline = new LaptopBaseline { UsbStorage = new UsbStorageRequirement { Allowed = { new ApprovedUsbDevice { VendorId = "0951", ProductId = "1666", Serial = "AB12" } } } };
            var check = LaptopCheckRegistry.Find("UsbStorage");
            LaptopEvidence Guard(string rules) => Evidence(new Dictionary<string, string> { ["usbguard"] = "installed", ["usbguard-rules"] = rules, ["modprobe"] = string.Empty });

            Assert.Equal(ComplianceStatus.Compliant, check.Evaluate(baseline, Guard("allow id 0951:1666 serial \"AB12\"\nblock with-interface one-of { 08:*:* }\nallow")).Compliance);
            Assert.Equal(ComplianceStatus.NonCompliant, check.Evaluate(baseline, Guard("block with-interface one-of { 08:*:* }\nallow id 0951:1666 serial \"AB12\"")).Compliance);
            Assert.Equal(ComplianceStatus.NonCompliant, check.Evaluate(baseline, Guard("allow id 0951:1666\nallow")).Compliance);

            // A blacklisted module blocks the approved sticks too: not what the baseline asks for.
            LaptopCheckVerdict blacklisted = check.Evaluate(baseline, Evidence());
            Assert.Equal(ComplianceStatus.NonCompliant, blacklisted.Compliance);
            Assert.Contains("approved sticks need usbguard", blacklisted.Evidence, StringComparison.Ordinal);
            Assert.Contains("allow id 0951:1666 serial \"AB12\"", check.Repair(baseline, Guard(string.Empty)).Script, StringComparison.Ordinal);
            Assert.Null(check.Repair(baseline, Evidence()));
        }

        [Fact]
        public void LiveCryptLayersCountForLvmOnLuks()
        {
            LaptopCheckVerdict verdict = Judge("DiskEncryption", new Dictionary<string, string>
            {
                ["fstab"] = "/dev/mapper/vg-root / ext4 defaults 0 1",
                ["block-stacks"] = "root /dev/mapper/vg-root\n" + LsblkTree("/", "vg-root", "lvm", "cryptroot", "crypt", "sda3", "part", "sda", "disk"),
            });

            Assert.Equal(ComplianceStatus.Compliant, verdict.Compliance);
            Assert.Contains("swap: none", verdict.Evidence, StringComparison.Ordinal);
        }

        // lsblk -J -s -o NAME,TYPE,MOUNTPOINT of the given devices: one inverse tree each, parents
        // as children; the device itself is mounted (MOUNTPOINT, then NAME TYPE pairs down the tree).
        private static string LsblkTree(params string[] tree) => LsblkTrees(new[] { tree });

        private static string LsblkTrees(params string[][] trees)
        {
            string Node(string[] tree, int at) =>
                $"{{\"name\": \"{tree[at]}\", \"type\": \"{tree[at + 1]}\", \"mountpoint\": " + (at == 1 ? "\"" + tree[0] + "\"" : "null")
                + (at + 2 < tree.Length ? ",\n \"children\": [\n" + Node(tree, at + 2) + "\n]" : string.Empty) + "}";
            return "{\n   \"blockdevices\": [\n" + string.Join(",", trees.Select(t => Node(t, 1))) + "\n   ]\n}";
        }

        [Fact]
        public void LiveSwapLayersAreTakenFromTheirOwnTreeWhateverOrderLsblkPrintsThemIn()
        {
            var changes = new Dictionary<string, string>
            {
                ["fstab"] = "/dev/mapper/vg-root / ext4 defaults 0 1",
                ["crypttab"] = "cryptroot UUID=1111 none luks",
                ["block-stacks"] = "root /dev/mapper/vg-root\nswap /dev/dm-2\n" + LsblkTrees(
                    new[] { "[SWAP]", "cryptother", "crypt", "sda4", "part", "sda", "disk" },
                    new[] { "/", "vg-root", "lvm", "cryptroot", "crypt", "sda3", "part", "sda", "disk" }),
            };

            LaptopCheckVerdict verdict = Judge("DiskEncryption", changes);
            Assert.Equal(ComplianceStatus.NonCompliant, verdict.Compliance);
            Assert.Contains("swap: cryptother is not on a device listed in /etc/crypttab", verdict.Evidence, StringComparison.Ordinal);
            Assert.Contains("root: /dev/mapper/vg-root -> crypttab cryptroot", verdict.Evidence, StringComparison.Ordinal);

            changes["block-stacks"] = "root /dev/mapper/vg-root\nswap /dev/dm-2\n" + LsblkTrees(
                new[] { "/", "vg-root", "lvm", "cryptroot", "crypt", "sda3", "part", "sda", "disk" },
                new[] { "[SWAP]", "vg-swap", "lvm", "cryptroot", "crypt", "sda3", "part", "sda", "disk" });
            verdict = Judge("DiskEncryption", changes);
            Assert.Equal(ComplianceStatus.Compliant, verdict.Compliance);
            Assert.Contains("swap: cryptroot -> crypttab cryptroot", verdict.Evidence, StringComparison.Ordinal);
        }

        [Fact]
        public void ASwapInUseOnAPlainDeviceIsNonCompliantEvenWhenFstabListsNoSwap()
        {
            var changes = new Dictionary<string, string>
            {
                ["fstab"] = "/dev/mapper/vg-root / ext4 defaults 0 1",
                ["crypttab"] = "cryptroot UUID=1111 none luks",
                ["block-stacks"] = "root /dev/mapper/vg-root\nswap /dev/sdb1\n" + LsblkTrees(
                    new[] { "/", "vg-root", "lvm", "cryptroot", "crypt", "sda3", "part", "sda", "disk" },
                    new[] { "[SWAP]", "sdb1", "part", "sdb", "disk" }),
            };

            LaptopCheckVerdict verdict = Judge("DiskEncryption", changes);

            Assert.Equal(ComplianceStatus.NonCompliant, verdict.Compliance);
            Assert.Contains("swap: sdb1 is in use (/proc/swaps) and is not on an encrypted device", verdict.Evidence, StringComparison.Ordinal);
            Assert.DoesNotContain("swap: none", verdict.Evidence, StringComparison.Ordinal);

            // Compressed memory (zram) never reaches a disk.
            changes["block-stacks"] = "root /dev/mapper/vg-root\nswap /dev/zram0\n" + LsblkTrees(
                new[] { "/", "vg-root", "lvm", "cryptroot", "crypt", "sda3", "part", "sda", "disk" },
                new[] { "[SWAP]", "zram0", "disk" });
            verdict = Judge("DiskEncryption", changes);
            Assert.Equal(ComplianceStatus.Compliant, verdict.Compliance);
        }

        [Theory]
        [InlineData("root /dev/mapper/vg-root\n{ not json")]
        [InlineData("root /dev/mapper/vg-root\n{\"devices\": [{\"name\": \"cryptroot\", \"type\": \"crypt\"}]}")]
        [InlineData("{\"blockdevices\": [{\"name\": \"cryptroot\", \"type\": \"crypt\"}]}")]
        public void UnexpectedLsblkOutputLeavesTheDecisionToFstab(string stacks)
        {
            LaptopCheckVerdict verdict = Judge("DiskEncryption", new Dictionary<string, string>
            {
                ["fstab"] = "/dev/mapper/vg-root / ext4 defaults 0 1",
                ["block-stacks"] = stacks,
            });

            Assert.Equal(ComplianceStatus.NonCompliant, verdict.Compliance);
            Assert.Contains("root: /dev/mapper/vg-root is not on a device listed in /etc/crypttab", verdict.Evidence, StringComparison.Ordinal);
        }

        [Fact]
        public void AptConfigShellQuotingIsUndone()
        {
            LaptopCheckVerdict verdict = Judge("AutomaticSecurityUpdates", new Dictionary<string, string> { ["apt-config"] = "UpdatePackageLists='it'\\''s'\nUnattendedUpgrade='1'" });

            Assert.Equal(ComplianceStatus.NonCompliant, verdict.Compliance);
            Assert.Contains("APT::Periodic::Update-Package-Lists \"it's\"", verdict.Evidence, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("vpn.corp.example", "certificate:vpn.corp.example:443")]
        [InlineData("vpn.corp.example:8443", "certificate:vpn.corp.example:8443")]
        [InlineData("203.0.113.5", "certificate:203.0.113.5:443")]
        public void TheAcceptedServerCertificateIsKeyedByGatewayHostAndPort(string gateway, string key)
        {
            Assert.Equal(key, OpenconnectServerCertificate.Key(gateway));
        }

        [Fact]
        public void TheVpnRepairKeepsThePinWhereTheAuthDialogLooksNotInTheVpnData()
        {
            string script = LaptopCheckRegistry.Find("VpnProfile").Repair(Baseline, Evidence(new Dictionary<string, string> { ["nm-connections"] = string.Empty })).Script;

            Assert.Contains("\n[vpn-secrets]\ncertificate:vpn.example.com:443=pin-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", script, StringComparison.Ordinal);
            Assert.DoesNotContain("servercert", script, StringComparison.Ordinal);
        }

        [Fact]
        public void ADiskIsNeverRepairedRemotely()
        {
            ILaptopCheck check = LaptopCheckRegistry.Find("DiskEncryption");
            LaptopEvidence evidence = Evidence(new Dictionary<string, string> { ["fstab"] = "/dev/sda2 / ext4 defaults 0 1" });

            Assert.Null(check.Repair(Baseline, evidence));
            Assert.Contains("reimage", check.Evaluate(Baseline, evidence).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AFirewallWithoutAManagementNetworkIsNotRepairedBecauseItWouldCutOffSsh()
        {
            var baseline = new LaptopBaseline { HostFirewall = new HostFirewallRequirement() };
            Assert.Null(LaptopCheckRegistry.Find("HostFirewall").Repair(baseline, Evidence(new Dictionary<string, string> { ["nft"] = string.Empty })));
        }

        [Fact]
        public void RepairScriptsQuoteWhatTheyTakeFromTheBaseline()
        {
            var step = LaptopCheckRegistry.Find("ForbiddenPackages").Repair(Baseline, Evidence(new Dictionary<string, string> { ["packages"] = "telnetd\tii \t1" }));
            Assert.Contains("apt-get purge -y -q -- 'telnetd'", step.Script, StringComparison.Ordinal);
            var vpn = LaptopCheckRegistry.Find("VpnProfile").Repair(Baseline, Evidence(new Dictionary<string, string> { ["nm-connections"] = string.Empty }));
            Assert.Contains("'/etc/NetworkManager/system-connections/Corp VPN.nmconnection'", vpn.Script, StringComparison.Ordinal);
        }

        [Fact]
        public void AHostThatWasNotReadGetsAnErrorPerCheck()
        {
            var host = new LaptopHostCompliance { ComputerName = "pc1", Status = Core.Hosts.HostStatus.Unreachable, Message = "pc1: connection refused" };
            LaptopComplianceWork.Judge(host, Baseline);

            Assert.Equal(9, host.Results.Count);
            Assert.All(host.Results, r => Assert.Equal(ComplianceStatus.Error, r.Compliance));
            Assert.All(host.Results, r => Assert.Equal(Core.Hosts.HostStatus.Unreachable, r.Status));
        }

        [Fact]
        public void TheRepairPlanHasAStepPerRepairableFailureAndNoneOnceCompliant()
        {
            var host = new LaptopHostCompliance { ComputerName = "pc1", Status = Core.Hosts.HostStatus.Succeeded };
            host.Evidence = Evidence(new Dictionary<string, string>
            {
                ["fstab"] = "/dev/sda2 / ext4 defaults 0 1",
                ["sshd"] = "passwordauthentication yes\nkbdinteractiveauthentication yes\npermitrootlogin yes",
                ["modprobe"] = string.Empty,
            });
            LaptopComplianceWork.Judge(host, Baseline);
            LaptopRepairPlan plan = LaptopRepairWork.Plan(host, Baseline);

            Assert.Equal(new[] { "UsbStorage", "SshHardening" }, plan.Steps.Changes.Select(s => s.Key));
            Assert.Contains("SshHardening: set PasswordAuthentication no", plan.Text, StringComparison.Ordinal);
            IReadOnlyList<LaptopRepairResult> whatIf = LaptopRepairWork.Unapplied(plan, declined: true);
            Assert.Equal(LaptopRepairOutcome.NotRepairable, whatIf.Single(r => r.Check == "DiskEncryption").Outcome);
            Assert.Equal(LaptopRepairOutcome.Planned, whatIf.Single(r => r.Check == "SshHardening").Outcome);
            Assert.Equal(LaptopRepairOutcome.NoChange, whatIf.Single(r => r.Check == "VpnProfile").Outcome);

            host.Evidence = Evidence();
            LaptopComplianceWork.Judge(host, Baseline);
            Assert.True(LaptopRepairWork.Plan(host, Baseline).IsEmpty);
        }

        [Fact]
        public void TheEvidenceScriptQuotesPackageNamesAndReadsNoVpnSecrets()
        {
            string script = LaptopEvidenceScript.For(Baseline);

            Assert.Contains("-- 'openssh-server' 'telnetd' 'unattended-upgrades'", script, StringComparison.Ordinal);
            Assert.Contains("certificate:*=*) if [ \"$sec\" = '[vpn-secrets]' ]", script, StringComparison.Ordinal);
            Assert.DoesNotContain("password=", script, StringComparison.Ordinal);
            Assert.DoesNotContain("cookie", script, StringComparison.Ordinal);
        }

        [Fact]
        public void TheEvidenceScriptReadsFilesWithShellBuiltinsAndRunsEachToolAtMostOnce()
        {
            string script = LaptopEvidenceScript.For(Baseline);
            string[] commands = script.Split('\n').SelectMany(l => System.Text.RegularExpressions.Regex.Split(l, @"\$\(|[;|&]|\bthen\b|\belse\b|\bdo\b"))
                .Select(part => System.Text.RegularExpressions.Regex.Match(part, @"^\s*(?:(?:if|elif|while|until|!)\s+)*(\S*)").Groups[1].Value).ToArray();

            foreach (string textTool in new[] { "cat", "grep", "sed", "awk", "head", "cut", "tr", "findmnt", "swapon", "id", "wc" })
            {
                Assert.DoesNotContain(textTool, commands);
            }

            foreach (string tool in new[] { "cryptsetup", "lsblk", "nft", "apt-config", "sshd", "dpkg-query" })
            {
                Assert.Equal(1, commands.Count(c => c == tool));
            }
        }

        [Fact]
        public void TheEvidenceScriptGathersOnlyWhatTheBaselineAsksFor()
        {
            string script = LaptopEvidenceScript.For(new LaptopBaseline { SshHardening = new SshHardeningRequirement() });

            Assert.Contains("sshd -T", script, StringComparison.Ordinal);
            foreach (string skipped in new[] { "cryptsetup", "lsblk", "nft list", "apt-config shell", "dpkg-query -W", "system-connections", "dconf", "usbguard" })
            {
                Assert.DoesNotContain(skipped, script, StringComparison.Ordinal);
            }

            Assert.EndsWith("s end\n", script, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("dash")]
        [InlineData("bash")]
        public void TheEvidenceScriptIsValidPosixShell(string shell)
        {
            var start = new System.Diagnostics.ProcessStartInfo(shell, shell == "bash" ? "--posix -n" : "-n") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
            using (var process = System.Diagnostics.Process.Start(start))
            {
                process.StandardInput.Write(LaptopEvidenceScript.For(Baseline));
                process.StandardInput.Close();
                string errors = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, errors);
            }
        }
    }
}
