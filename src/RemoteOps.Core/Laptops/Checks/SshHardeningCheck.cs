using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>
    /// The SSH server's effective settings (sshd -T): no password login (PasswordAuthentication
    /// and KbdInteractiveAuthentication both no: keyboard-interactive asks for the same password
    /// through PAM) and no root login (PermitRootLogin no). The repair puts a marked block at the
    /// top of /etc/ssh/sshd_config (sshd takes the first value it reads), checks the file with
    /// sshd -t (restoring the old file if it fails) and makes the running sshd reload it.
    /// </summary>
    public sealed class SshHardeningCheck : ILaptopCheck
    {
        private const string Begin = "# BEGIN RemoteOps laptop baseline";
        private const string End = "# END RemoteOps laptop baseline";

        /// <inheritdoc />
        public string Id => "SshHardening";

        /// <inheritdoc />
        public string Title => "The SSH server refuses passwords and root";

        /// <inheritdoc />
        public bool Applies(LaptopBaseline baseline) => baseline.SshHardening != null && (baseline.SshHardening.NoPasswordLogin || baseline.SshHardening.NoRootLogin);

        /// <inheritdoc />
        public string Expected(LaptopBaseline baseline) => string.Join(", ", Wanted(baseline).Select(w => $"{w.Key} {w.Value}"));

        /// <inheritdoc />
        public LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            IReadOnlyList<string> lines = evidence.Lines("sshd");
            if (lines.Contains("nosshd"))
            {
                return LaptopCheckVerdict.NotApplicable("no sshd on the laptop");
            }

            if (lines.Contains("sshd-T-failed"))
            {
                return LaptopCheckVerdict.Error("sshd -T failed", "sshd -T could not read the SSH server's configuration (run 'sshd -t' on the laptop).");
            }

            IReadOnlyDictionary<string, string> settings = evidence.Settings("sshd", ' ');
            var wanted = Wanted(baseline);
            string text = "sshd -T: " + string.Join(", ", wanted.Select(w => $"{w.Key} {(settings.TryGetValue(w.Key.ToLowerInvariant(), out string v) ? v : "(not reported)")}"));
            bool ok = wanted.All(w => settings.TryGetValue(w.Key.ToLowerInvariant(), out string v) && v == w.Value);
            return ok ? LaptopCheckVerdict.Compliant(text) : LaptopCheckVerdict.NonCompliant(text);
        }

        /// <inheritdoc />
        public LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            var wanted = Wanted(baseline);
            string block = Begin + "\\n" + string.Join("\\n", wanted.Select(w => $"{w.Key} {w.Value}")) + "\\n" + End;
            return new LaptopRepairStep(
                "set " + string.Join(", ", wanted.Select(w => $"{w.Key} {w.Value}")) + " at the top of /etc/ssh/sshd_config, check it with sshd -t and reload sshd",
                "f=/etc/ssh/sshd_config\ncp -p \"$f\" \"$f.remoteops-backup\" || exit 1\n"
                + $"{{ printf '{block}\\n'; sed '/^{Begin}$/,/^{End}$/d' \"$f.remoteops-backup\"; }} > \"$f.tmp\" || exit 1\n"
                + "chmod --reference=\"$f.remoteops-backup\" \"$f.tmp\"\n"
                + "if ! sshd -t -f \"$f.tmp\"; then rm -f \"$f.tmp\"; exit 1; fi\n"
                + "mv -f \"$f.tmp\" \"$f\"\n"
                + "if [ -d /run/systemd/system ]; then systemctl reload ssh 2>/dev/null || systemctl reload sshd; "
                + "elif [ -s /run/sshd.pid ]; then kill -HUP \"$(cat /run/sshd.pid)\"; fi\n");
        }

        private static List<KeyValuePair<string, string>> Wanted(LaptopBaseline baseline)
        {
            var wanted = new List<KeyValuePair<string, string>>();
            if (baseline.SshHardening.NoPasswordLogin)
            {
                wanted.Add(new KeyValuePair<string, string>("PasswordAuthentication", "no"));
                wanted.Add(new KeyValuePair<string, string>("KbdInteractiveAuthentication", "no"));
            }

            if (baseline.SshHardening.NoRootLogin)
            {
                wanted.Add(new KeyValuePair<string, string>("PermitRootLogin", "no"));
            }

            return wanted;
        }
    }
}
