using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>
    /// What the install puts on the laptop beyond the installer's own steps, the same for both
    /// installers: packages to add and purge, files to write, services to enable. The
    /// installer-specific writers turn it into late commands.
    /// </summary>
    public sealed class LaptopProvisioning
    {
        /// <summary>Where the enrolment call's header (with the token) is kept until enrolment succeeds.</summary>
        public const string EnrollmentHeaderPath = "/etc/remoteops/enroll-header";

        /// <summary>The enrolment unit's name.</summary>
        public const string EnrollmentUnit = "remoteops-enroll.service";

        private LaptopProvisioning()
        {
        }

        /// <summary>Packages installed (the baseline's required ones and those its settings need).</summary>
        public IList<string> Packages { get; } = new List<string>();

        /// <summary>Packages purged after the install.</summary>
        public IList<string> PurgedPackages { get; } = new List<string>();

        /// <summary>Files written onto the installed system.</summary>
        public IList<TargetFile> Files { get; } = new List<TargetFile>();

        /// <summary>systemd units enabled on the installed system.</summary>
        public IList<string> EnabledUnits { get; } = new List<string>();

        /// <summary>True when a dconf database was written and must be compiled (dconf update).</summary>
        public bool UpdatesDconf { get; private set; }

        /// <summary>The packages the baseline's settings need, whatever its package lists say.</summary>
        public static IEnumerable<string> PackagesTheBaselineNeeds(LaptopBaseline baseline)
        {
            if (baseline == null)
            {
                throw new ArgumentNullException(nameof(baseline));
            }

            yield return "openssh-server";
            yield return "curl";
            if (baseline.HostFirewall != null)
            {
                yield return "nftables";
            }

            if (baseline.UsbStorage?.Block == true)
            {
                yield return "usbguard";
            }

            if (baseline.VpnProfile != null)
            {
                yield return "network-manager-openconnect";
            }

            if (baseline.AutomaticSecurityUpdates == true)
            {
                yield return "unattended-upgrades";
            }
        }

        /// <summary>Builds the provisioning of a validated request.</summary>
        public static LaptopProvisioning From(LaptopImageRequest request)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            LaptopBaseline baseline = request.Baseline;
            var provisioning = new LaptopProvisioning();
            foreach (string package in PackagesTheBaselineNeeds(baseline).Concat(baseline.RequiredPackages ?? new List<string>()).Distinct(StringComparer.Ordinal))
            {
                provisioning.Packages.Add(package);
            }

            foreach (string package in (baseline.ForbiddenPackages ?? new List<string>()).Distinct(StringComparer.Ordinal))
            {
                provisioning.PurgedPackages.Add(package);
            }

            provisioning.AddSshHardening(baseline.SshHardening);
            provisioning.AddFirewall(baseline.HostFirewall);
            provisioning.AddUsbPolicy(baseline.UsbStorage);
            provisioning.AddVpnProfile(baseline.VpnProfile);
            provisioning.AddAutomaticUpdates(baseline.AutomaticSecurityUpdates);
            provisioning.AddScreenLock(baseline.ScreenLock);
            provisioning.AddEnrollment(request.EnrollmentUri, request.EnrollmentToken);
            return provisioning;
        }

        private void AddSshHardening(SshHardeningRequirement ssh)
        {
            if (ssh == null)
            {
                return;
            }

            var text = new StringBuilder();
            text.Append("# Written by RemoteOps from the laptop baseline. sshd takes the first value it reads,\n");
            text.Append("# and this file sorts before the others in sshd_config.d.\n");
            if (ssh.NoPasswordLogin)
            {
                text.Append("PasswordAuthentication no\nKbdInteractiveAuthentication no\n");
            }

            if (ssh.NoRootLogin)
            {
                text.Append("PermitRootLogin no\n");
            }

            Files.Add(new TargetFile("/etc/ssh/sshd_config.d/00-remoteops.conf", "0644", text.ToString(), "SSH server hardening"));
        }

        private void AddFirewall(HostFirewallRequirement firewall)
        {
            if (firewall == null)
            {
                return;
            }

            var text = new StringBuilder();
            text.Append("#!/usr/sbin/nft -f\n");
            text.Append("# Written by RemoteOps from the laptop baseline: inbound traffic denied but for replies,\n");
            text.Append("# loopback, ICMP and SSH from the management network.\n");
            text.Append("flush ruleset\n\n");
            text.Append("table inet remoteops_host {\n");
            text.Append("\tchain input {\n");
            text.Append("\t\ttype filter hook input priority filter; policy ").Append(firewall.DefaultDenyInbound ? "drop" : "accept").Append(";\n");
            text.Append("\t\tct state established,related accept\n");
            text.Append("\t\tct state invalid drop\n");
            text.Append("\t\tiifname \"lo\" accept\n");
            text.Append("\t\tmeta l4proto { icmp, ipv6-icmp } accept\n");
            if (firewall.ManagementNetwork != null)
            {
                LaptopImageValidator.TryParseNetwork(firewall.ManagementNetwork, out IPAddress address, out _);
                string family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ip6" : "ip";
                text.Append("\t\t").Append(family).Append(" saddr ").Append(firewall.ManagementNetwork).Append(" tcp dport 22 accept\n");
            }

            text.Append("\t}\n}\n");
            Files.Add(new TargetFile("/etc/nftables.conf", "0755", text.ToString(), "host firewall (nftables)"));
            EnabledUnits.Add("nftables.service");
        }

        private void AddUsbPolicy(UsbStorageRequirement usb)
        {
            if (usb == null || !usb.Block)
            {
                return;
            }

            var text = new StringBuilder();
            text.Append("# Written by RemoteOps from the laptop baseline. usbguard applies the first rule that matches:\n");
            text.Append("# the approved sticks, then a block for every other device with a mass-storage interface\n");
            text.Append("# (class 08), then everything else (keyboards, mice, docks) allowed.\n");
            foreach (ApprovedUsbDevice device in usb.Allowed ?? new List<ApprovedUsbDevice>())
            {
                if (!string.IsNullOrEmpty(device.Description))
                {
                    text.Append("# ").Append(device.Description).Append('\n');
                }

                text.Append("allow id ").Append(device.VendorId.ToLowerInvariant()).Append(':').Append(device.ProductId.ToLowerInvariant());
                if (device.Serial != null)
                {
                    text.Append(" serial \"").Append(device.Serial).Append('"');
                }

                text.Append('\n');
            }

            text.Append("block with-interface one-of { 08:*:* }\n");
            text.Append("allow\n");
            Files.Add(new TargetFile("/etc/usbguard/rules.conf", "0600", text.ToString(), "USB policy (usbguard)"));
            EnabledUnits.Add("usbguard.service");
        }

        private void AddVpnProfile(VpnProfileRequirement vpn)
        {
            if (vpn == null)
            {
                return;
            }

            var text = new StringBuilder();
            text.Append("[connection]\n");
            text.Append("id=").Append(KeyFileValue(vpn.Name)).Append('\n');
            text.Append("uuid=").Append(StableUuid(vpn.Name)).Append('\n');
            text.Append("type=vpn\n");
            text.Append("autoconnect=false\n\n");
            text.Append("[vpn]\n");
            text.Append("service-type=org.freedesktop.NetworkManager.openconnect\n");
            text.Append("protocol=").Append(vpn.Protocol).Append('\n');
            text.Append("gateway=").Append(vpn.Gateway).Append('\n');

            // Secrets are asked of the user when connecting, never stored (flags 2 = not saved).
            text.Append("cookie-flags=2\ngateway-flags=2\ngwcert-flags=2\n\n");
            text.Append("[ipv4]\nmethod=auto\n\n[ipv6]\nmethod=auto\n");
            if (vpn.ServerCertificatePin != null)
            {
                // The accepted server certificate, where the plugin's auth dialog looks for it
                // (not a secret, though it lives among them).
                text.Append("\n[").Append(OpenconnectServerCertificate.Section).Append("]\n")
                    .Append(OpenconnectServerCertificate.Key(vpn.Gateway)).Append('=').Append(vpn.ServerCertificatePin).Append('\n');
            }
            Files.Add(new TargetFile("/etc/NetworkManager/system-connections/remoteops-vpn.nmconnection", "0600", text.ToString(), "VPN profile (NetworkManager openconnect keyfile)"));
        }

        private void AddAutomaticUpdates(bool? automatic)
        {
            if (automatic != true)
            {
                return;
            }

            Files.Add(new TargetFile(
                "/etc/apt/apt.conf.d/20auto-upgrades",
                "0644",
                "// Written by RemoteOps from the laptop baseline: security updates installed every day.\nAPT::Periodic::Update-Package-Lists \"1\";\nAPT::Periodic::Unattended-Upgrade \"1\";\n",
                "automatic security updates"));
        }

        private void AddScreenLock(ScreenLockRequirement screenLock)
        {
            if (screenLock == null || !screenLock.Required)
            {
                return;
            }

            int idle = screenLock.MaxIdleSeconds ?? 300;
            Files.Add(new TargetFile("/etc/dconf/profile/user", "0644", "user-db:user\nsystem-db:local\n", "dconf profile with the system database"));
            Files.Add(new TargetFile(
                "/etc/dconf/db/local.d/00-remoteops-screenlock",
                "0644",
                "# Written by RemoteOps from the laptop baseline.\n[org/gnome/desktop/session]\nidle-delay=uint32 " + idle.ToString(CultureInfo.InvariantCulture)
                    + "\n\n[org/gnome/desktop/screensaver]\nlock-enabled=true\nlock-delay=uint32 0\n",
                "screen lock (GNOME)"));
            Files.Add(new TargetFile(
                "/etc/dconf/db/local.d/locks/00-remoteops-screenlock",
                "0644",
                "/org/gnome/desktop/session/idle-delay\n/org/gnome/desktop/screensaver/lock-enabled\n/org/gnome/desktop/screensaver/lock-delay\n",
                "screen lock settings locked against change by the user"));
            UpdatesDconf = true;
        }

        private void AddEnrollment(Uri enrollmentUri, System.Security.SecureString token)
        {
            string script =
                "#!/bin/sh\n"
                + "# Enrols this laptop in the inventory once, at first boot (written by RemoteOps New-RoLaptopImage).\n"
                + "# The token is read from a root-only file by curl, so it never shows in the process list,\n"
                + "# and the file is deleted once the inventory has answered with success.\n"
                + "set -eu\n"
                + "header=" + EnrollmentHeaderPath + "\n"
                + "[ -f \"$header\" ] || exit 0\n"
                + "host=$(hostname)\n"
                + "machine=$(cat /etc/machine-id)\n"
                + "key=$(cut -d ' ' -f 1,2 /etc/ssh/ssh_host_ed25519_key.pub)\n"
                + "printf '{\"hostName\":\"%s\",\"machineId\":\"%s\",\"sshHostKey\":\"%s\"}' \"$host\" \"$machine\" \"$key\" |\n"
                + "\tcurl --fail --silent --show-error --proto =https --max-time 60 \\\n"
                + "\t\t--header @\"$header\" --header 'Content-Type: application/json' --data-binary @- \\\n"
                + "\t\t'" + enrollmentUri.AbsoluteUri + "'\n"
                + "rm -f \"$header\"\n"
                + "systemctl disable " + EnrollmentUnit + "\n";
            Files.Add(new TargetFile("/usr/local/sbin/remoteops-enroll", "0755", script, "first-boot enrolment script"));
            Files.Add(new TargetFile(
                "/etc/systemd/system/" + EnrollmentUnit,
                "0644",
                "[Unit]\nDescription=Enrol this laptop in the RemoteOps inventory\nWants=network-online.target\nAfter=network-online.target\nConditionPathExists="
                    + EnrollmentHeaderPath + "\n\n[Service]\nType=oneshot\nExecStart=/usr/local/sbin/remoteops-enroll\nRestart=on-failure\nRestartSec=5min\n\n[Install]\nWantedBy=multi-user.target\n",
                "first-boot enrolment unit"));
            Files.Add(new TargetFile(EnrollmentHeaderPath, "0600", "Authorization: Bearer " + SecretText.Reveal(token) + "\n", "enrolment token (deleted after enrolment)"));
            EnabledUnits.Add(EnrollmentUnit);
        }

        // GLib key files escape a backslash and a leading space; line breaks were refused earlier.
        private static string KeyFileValue(string value)
        {
            string escaped = value.Replace("\\", "\\\\");
            return escaped.StartsWith(" ", StringComparison.Ordinal) ? "\\s" + escaped.Substring(1) : escaped;
        }

        // The same profile name gives the same connection on every laptop, so a later image or a
        // repair replaces the profile instead of adding a second one.
        private static string StableUuid(string name)
        {
            using (var sha = System.Security.Cryptography.SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes("remoteops-vpn:" + name));
                hash[6] = (byte)((hash[6] & 0x0f) | 0x50);
                hash[8] = (byte)((hash[8] & 0x3f) | 0x80);
                string hex = string.Concat(hash.Take(16).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
                return hex.Substring(0, 8) + "-" + hex.Substring(8, 4) + "-" + hex.Substring(12, 4) + "-" + hex.Substring(16, 4) + "-" + hex.Substring(20, 12);
            }
        }
    }
}
