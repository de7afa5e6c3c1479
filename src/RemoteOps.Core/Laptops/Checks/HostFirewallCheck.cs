using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Laptops.Checks
{
    /// <summary>
    /// The live nftables ruleset (nft list ruleset): some chain hooked on input with policy drop
    /// (inbound denied by default), and in such a chain a rule accepting TCP port 22 from the
    /// management network. The repair loads a table of RemoteOps' own (inet remoteops_laptop)
    /// that does exactly that, keeps it in /etc/remoteops/laptop-firewall.nft and includes it
    /// from /etc/nftables.conf so that it survives a reboot. It is only offered with a
    /// management network: a default-deny table without one would cut off SSH.
    /// </summary>
    public sealed class HostFirewallCheck : ILaptopCheck
    {
        /// <summary>Where the repair keeps the table.</summary>
        public const string RulesFile = "/etc/remoteops/laptop-firewall.nft";

        private static readonly Regex Hook = new Regex(@"type\s+filter\s+hook\s+input\b.*?policy\s+(accept|drop)", RegexOptions.CultureInvariant);
        private static readonly Regex SshPort = new Regex(@"\btcp\s+dport\s+(22|ssh|\{[^}]*\b(22|ssh)\b[^}]*\})(\s|$)", RegexOptions.CultureInvariant);

        /// <inheritdoc />
        public string Id => "HostFirewall";

        /// <inheritdoc />
        public string Title => "The host firewall denies inbound traffic but management SSH";

        /// <inheritdoc />
        public bool Applies(LaptopBaseline baseline) => baseline.HostFirewall != null && (baseline.HostFirewall.DefaultDenyInbound || baseline.HostFirewall.ManagementNetwork != null);

        /// <inheritdoc />
        public string Expected(LaptopBaseline baseline)
        {
            HostFirewallRequirement wanted = baseline.HostFirewall;
            var parts = new List<string>();
            if (wanted.DefaultDenyInbound)
            {
                parts.Add("an input chain with policy drop");
            }

            if (wanted.ManagementNetwork != null)
            {
                parts.Add($"SSH (tcp/22) accepted from {wanted.ManagementNetwork}");
            }

            return string.Join(", ", parts);
        }

        /// <inheritdoc />
        public LaptopCheckVerdict Evaluate(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            HostFirewallRequirement wanted = baseline.HostFirewall;
            IReadOnlyList<string> lines = evidence.Lines("nft");
            if (lines.Contains("nonft"))
            {
                return LaptopCheckVerdict.NonCompliant("nft is not installed: no nftables ruleset");
            }

            if (lines.Count > 0 && lines[0].StartsWith("Error:", StringComparison.Ordinal))
            {
                return LaptopCheckVerdict.Error(lines[0], "nft list ruleset failed on the laptop.");
            }

            List<Chain> inputChains = Chains(lines).Where(c => c.Policy != null).ToList();
            string selector = wanted.ManagementNetwork == null ? null : (wanted.ManagementNetwork.IndexOf(':') >= 0 ? "ip6" : "ip") + " saddr " + wanted.ManagementNetwork;
            Func<Chain, bool> allowsSsh = c => c.Rules.Any(r => Contains(r, selector) && SshPort.IsMatch(r) && Regex.IsMatch(r, @"\baccept\b"));
            string text = inputChains.Count == 0
                ? "no chain hooked on input" + (lines.Count == 0 ? " (empty ruleset)" : string.Empty)
                : string.Join("; ", inputChains.Select(c => $"{c.Name}: policy {c.Policy}, {c.Rules.Count} rule(s)" + (selector == null ? string.Empty : allowsSsh(c) ? $", SSH from {wanted.ManagementNetwork} accepted" : $", no rule accepting SSH from {wanted.ManagementNetwork}")));

            bool ok;
            if (wanted.DefaultDenyInbound)
            {
                List<Chain> dropping = inputChains.Where(c => c.Policy == "drop").ToList();
                ok = dropping.Count > 0 && (selector == null || dropping.Any(allowsSsh));
            }
            else
            {
                ok = inputChains.Count == 0 || inputChains.Where(c => c.Policy == "drop").All(allowsSsh);
            }

            return ok ? LaptopCheckVerdict.Compliant(text) : LaptopCheckVerdict.NonCompliant(text);
        }

        /// <inheritdoc />
        public LaptopRepairStep Repair(LaptopBaseline baseline, LaptopEvidence evidence)
        {
            HostFirewallRequirement wanted = baseline.HostFirewall;
            if (wanted.ManagementNetwork == null || evidence.Lines("nft").Contains("nonft"))
            {
                return null;
            }

            string family = wanted.ManagementNetwork.IndexOf(':') >= 0 ? "ip6" : "ip";
            string policy = wanted.DefaultDenyInbound ? "drop" : "accept";
            string table = "table inet remoteops_laptop\ndelete table inet remoteops_laptop\n"
                + "# Written by RemoteOps (laptop baseline): inbound denied but management SSH.\n"
                + "table inet remoteops_laptop {\n"
                + "\tchain input {\n"
                + $"\t\ttype filter hook input priority filter; policy {policy};\n"
                + "\t\tct state established,related accept\n"
                + "\t\tct state invalid drop\n"
                + "\t\tiif \"lo\" accept\n"
                + "\t\tmeta l4proto { icmp, ipv6-icmp } accept\n"
                + $"\t\t{family} saddr {wanted.ManagementNetwork} tcp dport 22 accept\n"
                + "\t}\n}\n";
            return new LaptopRepairStep(
                $"load table inet remoteops_laptop (input policy {policy}, SSH from {wanted.ManagementNetwork}) from {RulesFile}, included by /etc/nftables.conf",
                "umask 022\nmkdir -p /etc/remoteops\n"
                + $"cat > {RulesFile}.tmp <<'RO_EOF'\n{table}RO_EOF\n"
                + $"nft -c -f {RulesFile}.tmp || exit 1\nmv -f {RulesFile}.tmp {RulesFile}\nnft -f {RulesFile} || exit 1\n"
                + $"if ! grep -qs '^include \"{RulesFile}\"' /etc/nftables.conf; then printf '%s\\n' 'include \"{RulesFile}\"' >> /etc/nftables.conf; fi\n"
                + "if [ -d /run/systemd/system ]; then systemctl enable nftables >/dev/null 2>&1 || true; fi\n");
        }

        private static bool Contains(string rule, string selector) =>
            selector == null || Regex.IsMatch(rule, Regex.Escape(selector) + @"(\s|$)");

        private static List<Chain> Chains(IReadOnlyList<string> lines)
        {
            var chains = new List<Chain>();
            string table = null;
            Chain chain = null;
            foreach (string raw in lines)
            {
                string line = raw.Trim();
                if (line.StartsWith("table ", StringComparison.Ordinal))
                {
                    table = line.Substring(6).TrimEnd('{', ' ');
                    chain = null;
                }
                else if (line.StartsWith("chain ", StringComparison.Ordinal))
                {
                    chain = new Chain { Name = $"{table} {line.Substring(6).TrimEnd('{', ' ')}" };
                    chains.Add(chain);
                }
                else if (line == "}")
                {
                    chain = null;
                }
                else if (chain != null)
                {
                    Match hook = Hook.Match(line);
                    if (hook.Success)
                    {
                        chain.Policy = hook.Groups[1].Value;
                    }
                    else
                    {
                        chain.Rules.Add(line);
                    }
                }
            }

            return chains;
        }

        private sealed class Chain
        {
            internal string Name { get; set; }

            internal string Policy { get; set; }

            internal List<string> Rules { get; } = new List<string>();
        }
    }
}
