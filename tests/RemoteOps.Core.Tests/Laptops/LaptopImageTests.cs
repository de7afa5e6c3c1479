using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using RemoteOps.Core.Laptops;
using RemoteOps.Core.Laptops.Images;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Laptops
{
    public sealed class LaptopImageTests : IDisposable
    {
        private const string KeyLine = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJD0tvudtFD2pGoFKs5iX9TvhONG1fNOLGe/1EcpJMAk ops@example";
        private const string UserPassword = "Correct-Horse-7";
        private const string DiskPassphrase = "Disk-Unlock-Phrase-42";
        private const string Token = "enrol-tok-3f9c2a";

        private static readonly LaptopImageFormat[] BothFormats = { LaptopImageFormat.Autoinstall, LaptopImageFormat.Preseed };
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        internal static LaptopBaseline FullBaseline() => new LaptopBaseline
        {
            DiskEncryption = new DiskEncryptionRequirement { Required = true },
            UsbStorage = new UsbStorageRequirement
            {
                Block = true,
                Allowed = { new ApprovedUsbDevice { VendorId = "0951", ProductId = "1666", Serial = "E0D55EA573DCF450", Description = "Kingston IronKey" } },
            },
            VpnProfile = new VpnProfileRequirement { Name = "Corp VPN", Gateway = "vpn.corp.example:443", Protocol = "anyconnect", ServerCertificatePin = "pin-sha256:" + new string('A', 43) + "=" },
            HostFirewall = new HostFirewallRequirement { DefaultDenyInbound = true, ManagementNetwork = "10.20.0.0/16" },
            AutomaticSecurityUpdates = true,
            SshHardening = new SshHardeningRequirement(),
            ScreenLock = new ScreenLockRequirement { MaxIdleSeconds = 300 },
            RequiredPackages = { "firefox-esr", "libreoffice-writer" },
            ForbiddenPackages = { "telnet", "rsh-client" },
        };

        internal static LaptopImageRequest Request(LaptopBaseline baseline = null, SecureString disk = null) => new LaptopImageRequest
        {
            Baseline = baseline ?? FullBaseline(),
            HostName = "laptop-0412",
            UserName = "ops",
            UserPassword = Secrets.Secure(UserPassword),
            ManagementSshKey = KeyLine,
            EnrollmentUri = new Uri("https://inventory.corp.example/api/enrol"),
            EnrollmentToken = Secrets.Secure(Token),
            DiskPassphrase = disk,
        };

        private string Write(IReadOnlyDictionary<string, string> files, string name)
        {
            string path = temp.File(name);
            File.WriteAllText(path, files[name], new UTF8Encoding(false));
            return path;
        }

        private static IEnumerable<string> DecodedPayloads(string text)
        {
            return Regex.Matches(text, "printf %s ([A-Za-z0-9+/=]+) \\| base64 -d").Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)));
        }

        [Fact]
        public void CloudInitAcceptsTheAutoinstallUserData()
        {
            var files = LaptopImage.Render(Request(disk: Secrets.Secure(DiskPassphrase)), KeyLine, BothFormats);
            string path = Write(files, "user-data");

            var result = ProcessRunner.Run("cloud-init", new[] { "schema", "--config-file", path });

            Assert.True(result.ExitCode == 0, result.Text + result.StandardError);
            Assert.Contains("Valid cloud-config", result.Text + result.StandardError, StringComparison.Ordinal);
        }

        [Fact]
        public void CloudInitRefusesUserDataWhoseShapeIsWrong()
        {
            // Proves the check above can fail: cloud-init's schema does know its own keys.
            string path = temp.File("broken");
            File.WriteAllText(path, "#cloud-config\nruncmd: 5\n");

            Assert.NotEqual(0, ProcessRunner.Run("cloud-init", new[] { "schema", "--config-file", path }).ExitCode);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void TheAutoinstallSectionMatchesTheReferenceSchema(bool withPassphrase)
        {
            var files = LaptopImage.Render(Request(disk: withPassphrase ? Secrets.Secure(DiskPassphrase) : null), KeyLine, BothFormats);
            string path = Write(files, "user-data");

            var result = ValidateAutoinstall(path);

            Assert.True(result.ExitCode == 0, result.Text + result.StandardError);
        }

        [Fact]
        public void TheAutoinstallSchemaRefusesAMisspeltKey()
        {
            var files = LaptopImage.Render(Request(), KeyLine, BothFormats);
            string path = temp.File("user-data");
            File.WriteAllText(path, files["user-data"].Replace("  late-commands:", "  late-command:", StringComparison.Ordinal));

            var result = ValidateAutoinstall(path);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("late-command", result.Text, StringComparison.Ordinal);
        }

        private static ProcessRunner.Result ValidateAutoinstall(string userData)
        {
            string here = AppContext.BaseDirectory;
            return ProcessRunner.Run("/usr/bin/python3", new[]
            {
                Path.Combine(here, "Laptops", "validate_autoinstall.py"), Path.Combine(here, "Laptops", "autoinstall.schema.json"), userData,
            });
        }

        [Fact]
        public void DebconfAcceptsThePreseed()
        {
            var files = LaptopImage.Render(Request(), KeyLine, BothFormats);
            string path = Write(files, "preseed.cfg");

            var result = ProcessRunner.Run("debconf-set-selections", new[] { "-c", path });

            Assert.True(result.ExitCode == 0, result.Text + result.StandardError);
        }

        [Fact]
        public void DebconfRefusesAPreseedWithABrokenLine()
        {
            var files = LaptopImage.Render(Request(), KeyLine, BothFormats);
            string path = temp.File("preseed.cfg");
            File.WriteAllText(path, files["preseed.cfg"] + "d-i\n");

            Assert.NotEqual(0, ProcessRunner.Run("debconf-set-selections", new[] { "-c", path }).ExitCode);
        }

        [Fact]
        public void DebconfReadsTheContinuedLateCommandAsOneValue()
        {
            // Loaded into a scratch debconf database (the system's is replaced for this run, never
            // written): a line the continuation did not join would become a question of its own.
            var files = LaptopImage.Render(Request(), KeyLine, BothFormats);
            string path = Write(files, "preseed.cfg");
            string database = temp.File("questions.dat");

            var result = ProcessRunner.Run("env", new[]
            {
                "DEBCONF_DB_REPLACE=File{" + temp.File("config.dat") + "}", "DEBCONF_DB_OVERRIDE=File{" + database + "}", "debconf-set-selections", path,
            });

            Assert.True(result.ExitCode == 0, result.StandardError);
            string stored = File.ReadAllText(database);
            int questions = files["preseed.cfg"].Split('\n').Count(line => line.StartsWith("d-i ", StringComparison.Ordinal) || line.StartsWith("tasksel ", StringComparison.Ordinal) || line.StartsWith("popularity-contest ", StringComparison.Ordinal));
            Assert.Equal(questions, Regex.Count(stored, "^Name: ", RegexOptions.Multiline));
            string lateCommand = Regex.Match(stored, "^Name: preseed/late_command\nTemplate: [^\n]*\nValue: ([^\n]*)\n", RegexOptions.Multiline).Groups[1].Value;
            Assert.StartsWith("    in-target sh -c 'mkdir -p /home/ops/.ssh", lateCommand, StringComparison.Ordinal);
            Assert.EndsWith("&&     in-target systemctl enable nftables.service usbguard.service remoteops-enroll.service", lateCommand, StringComparison.Ordinal);
            // The management key, eleven files, the purge, dconf and the units: fifteen commands.
            Assert.Equal(15, Regex.Count(lateCommand, "in-target "));
        }

        [Fact]
        public void TheSshDropInWinsOverALaterPasswordLogin()
        {
            // sshd keeps the first value it reads; a later file (Ubuntu's cloud-init writes
            // 50-cloud-init.conf) saying yes must not turn password login back on. sshd -T runs in
            // a mount namespace of its own, with a private /run for the directory it insists on.
            var provisioning = LaptopProvisioning.From(Request());
            TargetFile dropIn = provisioning.Files.Single(f => f.Path == "/etc/ssh/sshd_config.d/00-remoteops.conf");
            File.WriteAllText(temp.File("00-remoteops.conf"), dropIn.Content);
            File.WriteAllText(temp.File("sshd_config"), "Include " + temp.File("00-remoteops.conf") + "\nPasswordAuthentication yes\nPermitRootLogin yes\nKbdInteractiveAuthentication yes\n");
            ProcessRunner.RunChecked("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-f", temp.File("host_key"));

            var result = ProcessRunner.Run("unshare", new[]
            {
                "--mount", "sh", "-c", "mount -t tmpfs none /run && mkdir /run/sshd && exec /usr/sbin/sshd -T -f \"$1\" -h \"$2\"", "sshd-check", temp.File("sshd_config"), temp.File("host_key"),
            });

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Contains("\npasswordauthentication no\n", result.Text, StringComparison.Ordinal);
            Assert.Contains("\nkbdinteractiveauthentication no\n", result.Text, StringComparison.Ordinal);
            Assert.Contains("\npermitrootlogin no\n", result.Text, StringComparison.Ordinal);
        }

        [Fact]
        public void ThePreseedEncryptsTheDiskAndTheLateCommandWritesEveryFile()
        {
            var files = LaptopImage.Render(Request(), KeyLine, BothFormats);
            string preseed = files["preseed.cfg"];

            Assert.Contains("d-i partman-auto/method string crypto\n", preseed, StringComparison.Ordinal);
            Assert.Contains("d-i pkgsel/include string openssh-server curl nftables usbguard network-manager-openconnect unattended-upgrades firefox-esr libreoffice-writer\n", preseed, StringComparison.Ordinal);
            Assert.Contains("in-target apt-get purge -y telnet rsh-client", preseed, StringComparison.Ordinal);
            Assert.Contains("in-target systemctl enable nftables.service usbguard.service remoteops-enroll.service", preseed, StringComparison.Ordinal);
            var payloads = DecodedPayloads(preseed).ToList();
            Assert.Contains(payloads, p => p.Contains("service-type=org.freedesktop.NetworkManager.openconnect", StringComparison.Ordinal) && p.Contains("id=Corp VPN\n", StringComparison.Ordinal));
            Assert.Contains(payloads, p => p.Contains("allow id 0951:1666 serial \"E0D55EA573DCF450\"\nblock with-interface one-of { 08:*:* }\nallow\n", StringComparison.Ordinal));
            Assert.Contains(payloads, p => p.Contains("PasswordAuthentication no", StringComparison.Ordinal));
            Assert.Contains(payloads, p => p == KeyLine + "\n");
        }

        [Fact]
        public void TheAutoinstallEncryptsTheDiskWithThePassphraseOrAsksForIt()
        {
            string given = LaptopImage.Render(Request(disk: Secrets.Secure(DiskPassphrase)), KeyLine, BothFormats)["user-data"];
            string asked = LaptopImage.Render(Request(), KeyLine, BothFormats)["user-data"];

            Assert.Contains("  storage:\n    layout:\n      name: \"lvm\"\n      password: \"" + DiskPassphrase + "\"\n", given, StringComparison.Ordinal);
            Assert.DoesNotContain("interactive-sections", given, StringComparison.Ordinal);
            Assert.Contains("interactive-sections:\n    - \"storage\"", asked, StringComparison.Ordinal);
            Assert.DoesNotContain("password: \"Disk", asked, StringComparison.Ordinal);
        }

        [Fact]
        public void SecretsAreInClearOnlyWhereTheFormatHasNoOtherWay()
        {
            var files = LaptopImage.Render(Request(disk: Secrets.Secure(DiskPassphrase)), KeyLine, BothFormats);
            string all = string.Join("\n", files.Values);
            string allDecoded = all + string.Join("\n", DecodedPayloads(all));

            // The user's password: a SHA-512 crypt hash in both files, never the password.
            Assert.DoesNotContain(UserPassword, allDecoded, StringComparison.Ordinal);
            Assert.Matches("password: \"\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}\"", files["user-data"]);
            Assert.Matches("d-i passwd/user-password-crypted password \\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}\n", files["preseed.cfg"]);

            // The disk passphrase: the preseed leaves it to the installer's prompt.
            string preseed = files["preseed.cfg"];
            Assert.DoesNotContain(DiskPassphrase, preseed + string.Join("\n", DecodedPayloads(preseed)), StringComparison.Ordinal);
            Assert.DoesNotContain("partman-crypto/passphrase", preseed, StringComparison.Ordinal);

            // The token: the laptop must present it, so it travels, but only into the root-only header file.
            var tokenFiles = DecodedPayloads(all).Where(p => p.Contains(Token, StringComparison.Ordinal)).Distinct().ToList();
            Assert.Equal(new[] { "Authorization: Bearer " + Token + "\n" }, tokenFiles);
            Assert.Contains("chmod 0600 /etc/remoteops/enroll-header", all, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, all, StringComparison.Ordinal);
        }

        [Fact]
        public void NftablesAcceptsTheHostFirewall()
        {
            var provisioning = LaptopProvisioning.From(Request());
            TargetFile firewall = provisioning.Files.Single(f => f.Path == "/etc/nftables.conf");
            string path = temp.File("nftables.conf");
            File.WriteAllText(path, firewall.Content);

            var result = ProcessRunner.Run("nft", new[] { "-c", "-f", path });

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Contains("policy drop;", firewall.Content, StringComparison.Ordinal);
            Assert.Contains("ip saddr 10.20.0.0/16 tcp dport 22 accept", firewall.Content, StringComparison.Ordinal);
        }

        [Fact]
        public void TheEnrolmentScriptIsValidShellAndCallsOnlyTheHttpsAddress()
        {
            var provisioning = LaptopProvisioning.From(Request());
            TargetFile script = provisioning.Files.Single(f => f.Path == "/usr/local/sbin/remoteops-enroll");
            string path = temp.File("enroll.sh");
            File.WriteAllText(path, script.Content);

            Assert.Equal(0, ProcessRunner.Run("sh", new[] { "-n", path }).ExitCode);
            Assert.Contains("--proto =https", script.Content, StringComparison.Ordinal);
            Assert.Contains("'https://inventory.corp.example/api/enrol'", script.Content, StringComparison.Ordinal);
            Assert.Contains("--header @\"$header\"", script.Content, StringComparison.Ordinal);
            TargetFile unit = provisioning.Files.Single(f => f.Path == "/etc/systemd/system/remoteops-enroll.service");
            Assert.Contains("Type=oneshot", unit.Content, StringComparison.Ordinal);
        }

        public static TheoryData<Action<LaptopImageRequest>, string> HostileValues => new TheoryData<Action<LaptopImageRequest>, string>
        {
            { r => r.Baseline.RequiredPackages.Add("vim; rm -rf /"), "'vim; rm -rf /'" },
            { r => r.Baseline.ForbiddenPackages.Add("$(reboot)"), "'$(reboot)'" },
            { r => r.Baseline.VpnProfile.Name = "Corp\nd-i preseed/late_command string reboot", "'Corp\\u000ad-i preseed/late_command string reboot'" },
            { r => r.Baseline.VpnProfile.Gateway = "vpn.example'; reboot; '", "'vpn.example'; reboot; ''" },
            { r => r.Baseline.UsbStorage.Allowed[0].Serial = "X\" allow", "'X\" allow'" },
            { r => r.Baseline.UsbStorage.Allowed[0].Description = "stick\nallow", "'stick\\u000aallow'" },
            { r => r.Baseline.HostFirewall.ManagementNetwork = "10.0.0.0/8 accept", "'10.0.0.0/8 accept'" },
            { r => r.HostName = "laptop;reboot", "'laptop;reboot'" },
            { r => r.UserName = "root", "'root'" },
            { r => r.EnrollmentUri = new Uri("http://inventory.corp.example/enrol"), "'http://inventory.corp.example/enrol'" },
            { r => r.Baseline.ForbiddenPackages.Add("openssh-server"), "'openssh-server'" },
        };

        [Theory]
        [MemberData(nameof(HostileValues))]
        public void HostileValuesAreRefusedNamingTheValue(Action<LaptopImageRequest> spoil, string named)
        {
            LaptopImageRequest request = Request();
            spoil(request);

            var error = Assert.Throws<LaptopImageValueException>(() => LaptopImage.Render(request, KeyLine, BothFormats));

            Assert.Contains(named, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ATokenThatCouldAddAHeaderIsRefusedWithoutShowingIt()
        {
            LaptopImageRequest request = Request();
            request.EnrollmentToken = Secrets.Secure("abc\r\nX-Evil: 1");

            var error = Assert.Throws<LaptopImageValueException>(() => LaptopImage.Render(request, KeyLine, BothFormats));

            Assert.DoesNotContain("X-Evil", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n", "private key")]
        [InlineData("ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ== x\n", "is not such a key")]
        [InlineData("ssh-dss AAAA x\n", "is not an OpenSSH public key line")]
        [InlineData("", "holds 0 key lines")]
        public void AManagementKeyThatIsNotOnePublicKeyIsRefused(string text, string expected)
        {
            var error = Assert.Throws<ArgumentException>(() => ManagementSshKey.Parse(text, "key.pub"));

            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("b3Blbn", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void APublicKeyFileIsReadAsOneLine()
        {
            Assert.Equal(KeyLine, ManagementSshKey.Parse("# managed\n" + KeyLine + "\n", "key.pub"));
        }
    }
}
