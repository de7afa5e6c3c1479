using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>
    /// A NetworkManager openconnect profile in /etc/NetworkManager/system-connections with the
    /// baseline's name (connection id), gateway, protocol and pinned server certificate (the
    /// accepted certificate the plugin's auth dialog keeps among the VPN secrets, see
    /// <see cref="OpenconnectServerCertificate"/>). Only those keys are read off the laptop; the
    /// profile's real secrets (password, cookie) never are. The repair writes the profile (mode
    /// 0600, root's) and asks a running NetworkManager to reload its profiles.
    /// </summary>
    public sealed class VpnProfileCheck : ILaptopCheck
    {
        /// <summary>The NetworkManager VPN plugin of openconnect.</summary>
        public const string ServiceType = "org.freedesktop.NetworkManager.openconnect";

        private const string Folder = "/etc/NetworkManager/system-connections";
        private static readonly Regex SafeFileName = new Regex("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$", RegexOptions.CultureInvariant);

        /// <inheritdoc />
        public string Id => "VpnProfile";

        /// <inheritdoc />
        public string Title => "The VPN profile is installed";

        /// <inheritdoc />
        public bool Applies(LaptopBaseline baseline) => baseline.VpnProfile != null;

        /// <inheritdoc />
        public string Expected(LaptopBaseline baseline)
        {
            VpnProfileRequirement wanted = baseline.VpnProfile;
            return $"NetworkManager profile '{wanted.Name}': openconnect {wanted.Protocol} to {wanted.Gateway}" + (wanted.ServerCertificatePin == null ? string.Empty : $", server certificate pinned to {wanted.ServerCertificatePin}");
        }

        /// <inheritdoc />
        public LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            VpnProfileRequirement wanted = baseline.VpnProfile;
            var files = evidence.Files("nm-connections");
            KeyValuePair<string, List<string>> profile = files.FirstOrDefault(f => Value(f.Value, "connection.id") == wanted.Name);
            if (profile.Key == null)
            {
                string others = files.Count == 0 ? "no profiles" : "profiles: " + string.Join(", ", files.Select(f => Value(f.Value, "connection.id") ?? f.Key));
                return LaptopCheckVerdict.NonCompliant($"no profile '{wanted.Name}' in {Folder} ({others})");
            }

            string certificateKey = OpenconnectServerCertificate.Key(wanted.Gateway);
            var found = new Dictionary<string, string>
            {
                ["type"] = Value(profile.Value, "connection.type"),
                ["service-type"] = Value(profile.Value, "vpn.service-type"),
                ["gateway"] = Value(profile.Value, "vpn.gateway"),
                ["protocol"] = Value(profile.Value, "vpn.protocol") ?? "anyconnect",
            };
            if (wanted.ServerCertificatePin != null)
            {
                found[certificateKey] = Value(profile.Value, OpenconnectServerCertificate.Section + "." + certificateKey);
            }

            string text = $"{Folder}/{profile.Key}: " + string.Join(", ", found.Select(p => $"{p.Key}={p.Value ?? "(none)"}"));
            var wrong = new List<string>();
            Expect(wrong, found, "type", "vpn");
            Expect(wrong, found, "service-type", ServiceType);
            Expect(wrong, found, "gateway", wanted.Gateway);
            Expect(wrong, found, "protocol", wanted.Protocol);
            if (wanted.ServerCertificatePin != null)
            {
                Expect(wrong, found, certificateKey, wanted.ServerCertificatePin);
            }

            return wrong.Count == 0 ? LaptopCheckVerdict.Compliant(text) : LaptopCheckVerdict.NonCompliant($"{text} ({string.Join("; ", wrong)})");
        }

        /// <inheritdoc />
        public LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            VpnProfileRequirement wanted = baseline.VpnProfile;
            string existing = evidence.Files("nm-connections").FirstOrDefault(f => Value(f.Value, "connection.id") == wanted.Name).Key;
            string file = existing != null && SafeFileName.IsMatch(existing) && existing.IndexOf("..", StringComparison.Ordinal) < 0 ? existing : wanted.Name + ".nmconnection";
            string path = $"{Folder}/{file}";
            var profile = new StringBuilder()
                .Append("[connection]\nid=").Append(wanted.Name).Append('\n')
                .Append("uuid=").Append(StableUuid(wanted.Name)).Append('\n')
                .Append("type=vpn\nautoconnect=false\n\n[vpn]\n")
                .Append("gateway=").Append(wanted.Gateway).Append('\n')
                .Append("protocol=").Append(wanted.Protocol).Append('\n')
                .Append("service-type=").Append(ServiceType).Append("\n\n[ipv4]\nmethod=auto\n\n[ipv6]\nmethod=auto\n");
            if (wanted.ServerCertificatePin != null)
            {
                profile.Append("\n[").Append(OpenconnectServerCertificate.Section).Append("]\n")
                    .Append(OpenconnectServerCertificate.Key(wanted.Gateway)).Append('=').Append(wanted.ServerCertificatePin).Append('\n');
            }

            string quoted = Ssh.PosixShell.Quote(path);
            return new LaptopRepairStep(
                $"write {path} (openconnect {wanted.Protocol} to {wanted.Gateway}" + (wanted.ServerCertificatePin == null ? ")" : ", pinned server certificate)") + " and reload NetworkManager's profiles",
                $"umask 077\nmkdir -p {Folder}\ncat > {quoted}.tmp <<'RO_EOF'\n{profile}RO_EOF\nchmod 0600 {quoted}.tmp\nmv -f {quoted}.tmp {quoted}\n"
                + "if command -v nmcli >/dev/null 2>&1 && nmcli -t general status >/dev/null 2>&1; then nmcli connection reload; fi\n");
        }

        // The same profile gets the same uuid on every laptop and every run, so a repair is idempotent.
        private static string StableUuid(string name)
        {
            byte[] hash;
            using (var sha = SHA256.Create())
            {
                hash = sha.ComputeHash(Encoding.UTF8.GetBytes("remoteops-laptop-vpn:" + name));
            }

            hash[6] = (byte)((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte)((hash[8] & 0x3f) | 0x80);
            string hex = string.Concat(hash.Take(16).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
            return $"{hex.Substring(0, 8)}-{hex.Substring(8, 4)}-{hex.Substring(12, 4)}-{hex.Substring(16, 4)}-{hex.Substring(20, 12)}";
        }

        private static string Value(List<string> lines, string key)
        {
            string line = lines.FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal));
            return line?.Substring(key.Length + 1);
        }

        private static void Expect(List<string> wrong, Dictionary<string, string> found, string key, string value)
        {
            if (!string.Equals(found[key], value, StringComparison.Ordinal))
            {
                wrong.Add($"{key} should be {value}");
            }
        }
    }
}
