using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>
    /// unattended-upgrades installed and switched on: APT::Periodic::Update-Package-Lists and
    /// APT::Periodic::Unattended-Upgrade non-zero in APT's merged configuration (apt-config shell,
    /// which reads 20auto-upgrades and every other apt.conf.d file, and prints just the two
    /// settings as NAME='VALUE', NAME from <see cref="LaptopEvidenceScript.AptPeriodicNames"/>). The repair installs the
    /// package when it is missing and writes /etc/apt/apt.conf.d/20auto-upgrades.
    /// </summary>
    public sealed class AutomaticSecurityUpdatesCheck : ILaptopCheck
    {
        /// <summary>The file the repair writes.</summary>
        public const string ConfigFile = "/etc/apt/apt.conf.d/20auto-upgrades";

        private static readonly string[] Keys = LaptopEvidenceScript.AptPeriodicNames.Select(name => name.Value).ToArray();
        private static readonly Regex Setting = new Regex("^([A-Za-z]+)='(.*)'$", RegexOptions.CultureInvariant);

        /// <inheritdoc />
        public string Id => "AutomaticSecurityUpdates";

        /// <inheritdoc />
        public string Title => "Security updates install automatically";

        /// <inheritdoc />
        public bool Applies(LaptopBaseline baseline) => baseline.AutomaticSecurityUpdates == true;

        /// <inheritdoc />
        public string Expected(LaptopBaseline baseline) => "unattended-upgrades installed; APT::Periodic::Update-Package-Lists and APT::Periodic::Unattended-Upgrade set to \"1\"";

        /// <inheritdoc />
        public LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            if (evidence.Lines("apt-config").Contains("noapt"))
            {
                return LaptopCheckVerdict.NotApplicable("apt-config not found: not a Debian-family system");
            }

            Dictionary<string, string> values = Values(evidence);
            bool installed = evidence.IsInstalled(LaptopEvidenceScript.AutomaticSecurityUpdatesPackage);
            string text = $"{LaptopEvidenceScript.AutomaticSecurityUpdatesPackage} {(installed ? "installed" : "not installed")}; "
                + string.Join("; ", Keys.Select(k => $"{k} {(values.TryGetValue(k, out string v) ? "\"" + v + "\"" : "not set")}"));
            bool on = Keys.All(k => values.TryGetValue(k, out string v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int days) && days > 0);
            return installed && on ? LaptopCheckVerdict.Compliant(text) : LaptopCheckVerdict.NonCompliant(text);
        }

        /// <inheritdoc />
        public LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            bool installed = evidence.IsInstalled(LaptopEvidenceScript.AutomaticSecurityUpdatesPackage);
            string install = installed ? string.Empty : $"DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends {LaptopEvidenceScript.AutomaticSecurityUpdatesPackage} || exit 1\n";
            return new LaptopRepairStep(
                (installed ? string.Empty : $"install {LaptopEvidenceScript.AutomaticSecurityUpdatesPackage}; ") + $"write {ConfigFile} (Update-Package-Lists \"1\", Unattended-Upgrade \"1\")",
                install + $"umask 022\nprintf '%s\\n' 'APT::Periodic::Update-Package-Lists \"1\";' 'APT::Periodic::Unattended-Upgrade \"1\";' > {ConfigFile}.tmp\nmv -f {ConfigFile}.tmp {ConfigFile}\n");
        }

        private static Dictionary<string, string> Values(LaptopEvidence evidence)
        {
            var values = new Dictionary<string, string>();
            foreach (string line in evidence.Lines("apt-config"))
            {
                Match match = Setting.Match(line.Trim());
                string key = match.Success ? LaptopEvidenceScript.AptPeriodicNames.FirstOrDefault(name => name.Key == match.Groups[1].Value).Value : null;
                if (key != null)
                {
                    // apt-config shell quotes a ' inside the value as sh does.
                    values[key] = match.Groups[2].Value.Replace(PosixQuoting.EscapedSingleQuote, "'");
                }
            }

            return values;
        }
    }
}
