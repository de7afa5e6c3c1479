using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>
    /// USB mass storage blocked. Either usbguard's policy (/etc/usbguard/rules.conf) blocks the
    /// mass-storage interface class (08:*:*) and allows each approved stick by id (and serial, when
    /// given) ahead of that block, or, when no stick is approved, the usb-storage module is
    /// blacklisted in modprobe.d ("install usb-storage /bin/false" or "blacklist") and not loaded.
    /// The repair writes the modprobe.d file when no stick is approved, and the usbguard rules
    /// when sticks are approved and usbguard is installed.
    /// </summary>
    public sealed class UsbStorageCheck : ILaptopCheck
    {
        /// <summary>The modprobe.d file the repair writes.</summary>
        public const string ModprobeFile = "/etc/modprobe.d/remoteops-usb-storage.conf";

        private static readonly Regex BlocksMassStorage = new Regex(@"^\s*(block|reject)\b.*\bwith-interface\s+(one-of\s+\{[^}]*\b08:\*:\*[^}]*\}|equals\s+\{\s*08:\*:\*\s*\}|08:\*:\*)", RegexOptions.CultureInvariant);

        /// <inheritdoc />
        public string Id => "UsbStorage";

        /// <inheritdoc />
        public string Title => "USB mass storage is blocked";

        /// <inheritdoc />
        public bool Applies(LaptopBaseline baseline) => baseline.UsbStorage != null && baseline.UsbStorage.Block;

        /// <inheritdoc />
        public string Expected(LaptopBaseline baseline)
        {
            IList<ApprovedUsbDevice> allowed = Allowed(baseline);
            return allowed.Count == 0
                ? "usb-storage blacklisted and not loaded, or usbguard blocking interface class 08:*:*"
                : $"usbguard blocking interface class 08:*:* and allowing {string.Join(", ", allowed.Select(Name))}";
        }

        /// <inheritdoc />
        public LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            IList<ApprovedUsbDevice> allowed = Allowed(baseline);
            bool usbguard = evidence.Lines("usbguard").Contains("installed");
            IReadOnlyList<string> rules = evidence.Lines("usbguard-rules");
            int block = IndexOf(rules, r => BlocksMassStorage.IsMatch(r));
            string guardState = !usbguard ? "usbguard not installed"
                : block < 0 ? $"usbguard installed, rules.conf ({rules.Count} rules) does not block 08:*:*"
                : "usbguard rules.conf blocks 08:*:*";

            if (usbguard && block >= 0)
            {
                List<string> missing = allowed.Where(d => IndexOf(rules, r => Allows(r, d)) is int at && (at < 0 || at > block)).Select(Name).ToList();
                return missing.Count == 0
                    ? LaptopCheckVerdict.Compliant(guardState + (allowed.Count == 0 ? string.Empty : $", allows {string.Join(", ", allowed.Select(Name))} before the block"))
                    : LaptopCheckVerdict.NonCompliant($"{guardState}, but no allow rule ahead of it for {string.Join(", ", missing)}");
            }

            bool blacklisted = evidence.Lines("modprobe").Count > 0;
            bool loaded = evidence.Lines("usb-storage-loaded").Contains("loaded");
            string moduleState = (blacklisted ? "usb-storage blacklisted (" + string.Join("; ", evidence.Lines("modprobe").Select(l => l.Trim())) + ")" : "usb-storage not blacklisted in modprobe.d")
                + (loaded ? ", module loaded" : ", module not loaded");
            if (allowed.Count == 0 && blacklisted && !loaded)
            {
                return LaptopCheckVerdict.Compliant($"{moduleState}; {guardState}");
            }

            string why = allowed.Count > 0 && blacklisted ? "; approved sticks need usbguard (a blacklisted module blocks every stick)" : string.Empty;
            return LaptopCheckVerdict.NonCompliant($"{guardState}; {moduleState}{why}");
        }

        /// <inheritdoc />
        public LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            IList<ApprovedUsbDevice> allowed = Allowed(baseline);
            if (allowed.Count == 0)
            {
                if (evidence.Lines("usb-storage-loaded").Contains("loaded"))
                {
                    // Unloading a module in use would pull a mounted stick from under its user.
                    return null;
                }

                return new LaptopRepairStep(
                    $"write {ModprobeFile} (blacklist usb-storage; install usb-storage /bin/false)",
                    $"umask 022\nprintf '%s\\n' '# Written by RemoteOps (laptop baseline): no USB mass storage.' 'blacklist usb-storage' 'install usb-storage /bin/false' > {ModprobeFile}.tmp\nmv -f {ModprobeFile}.tmp {ModprobeFile}\n");
            }

            if (!evidence.Lines("usbguard").Contains("installed"))
            {
                return null;
            }

            var rules = new StringBuilder("# Written by RemoteOps (laptop baseline): approved sticks, then no USB mass storage.\n");
            foreach (ApprovedUsbDevice device in allowed)
            {
                rules.Append("allow id ").Append(device.VendorId).Append(':').Append(device.ProductId);
                if (device.Serial != null)
                {
                    rules.Append(" serial \"").Append(device.Serial).Append('"');
                }

                rules.Append('\n');
            }

            rules.Append("block with-interface one-of { 08:*:* }\nallow\n");
            return new LaptopRepairStep(
                $"write /etc/usbguard/rules.conf (allow {string.Join(", ", allowed.Select(Name))}; block interface class 08:*:*) and restart usbguard if it runs",
                "umask 077\ncat > /etc/usbguard/rules.conf.tmp <<'RO_EOF'\n" + rules + "RO_EOF\nmv -f /etc/usbguard/rules.conf.tmp /etc/usbguard/rules.conf\n"
                + "if [ -d /run/systemd/system ]; then systemctl try-restart usbguard >/dev/null 2>&1 || true; fi\n");
        }

        private static IList<ApprovedUsbDevice> Allowed(LaptopBaseline baseline) => baseline.UsbStorage?.Allowed ?? new List<ApprovedUsbDevice>();

        private static string Name(ApprovedUsbDevice device) =>
            $"{device.VendorId}:{device.ProductId}" + (device.Serial == null ? string.Empty : $" serial {device.Serial}");

        private static bool Allows(string rule, ApprovedUsbDevice device)
        {
            string text = rule.Trim();
            if (!text.StartsWith("allow", StringComparison.Ordinal)
                || text.IndexOf($"id {device.VendorId}:{device.ProductId}", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return false;
            }

            return device.Serial == null || text.IndexOf($"serial \"{device.Serial}\"", StringComparison.Ordinal) >= 0;
        }

        private static int IndexOf(IReadOnlyList<string> lines, Func<string, bool> match)
        {
            for (int i = 0; i < lines.Count; i++)
            {
                if (match(lines[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
