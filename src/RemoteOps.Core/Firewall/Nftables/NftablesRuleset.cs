using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Firewall.Nftables
{
    /// <summary>
    /// Writes a policy as one nft script that replaces RemoteOps's table in one transaction.
    /// </summary>
    /// <remarks>
    /// <para>nft -f loads a whole file as one kernel transaction, so when any line fails nothing
    /// changes (nftables wiki, "Atomic rule replacement"; nft(8)). The file first declares the
    /// table (a no-op when it exists, so the delete cannot fail on a host that has none), deletes
    /// it and declares it again: a "flush table" would keep the table's sets and their elements,
    /// so a removed address would survive.</para>
    /// <para>Each base chain starts with "ct state established,related accept", so replies of
    /// allowed connections pass whatever the later rules say. Disabled rules are kept in the
    /// regular chains input_disabled and forward_disabled, which nothing jumps to, so they are
    /// stored but never evaluated. A rule's name and comment are its nftables comment
    /// ("NAME" or "NAME: comment"): nftables rules have handles, not names.</para>
    /// </remarks>
    public static class NftablesRuleset
    {
        /// <summary>The chain that holds the disabled rules of a chain.</summary>
        public const string DisabledSuffix = "_disabled";

        private static readonly Regex Identifier = new Regex("^[A-Za-z][A-Za-z0-9_]{0,31}\\z", RegexOptions.CultureInvariant);

        /// <summary>Checks the table settings; a bad one is refused naming the value and what is valid.</summary>
        public static void CheckTable(string family, string table)
        {
            if (family != "inet" && family != "ip")
            {
                throw new ArgumentException($"Family '{family}' is not supported; use inet or ip.");
            }

            if (table == null || !Identifier.IsMatch(table))
            {
                throw new ArgumentException($"TableName '{table}' is not a valid nftables table name: use 1-32 letters, digits or '_', starting with a letter.");
            }
        }

        /// <summary>The nft chain name of a chain.</summary>
        public static string ChainName(FirewallChain chain, bool enabled) =>
            (chain == FirewallChain.Input ? "input" : "forward") + (enabled ? string.Empty : DisabledSuffix);

        /// <summary>The rule's comment: its name, then ": " and its comment when it has one.</summary>
        public static string Label(FirewallRule rule) => string.IsNullOrEmpty(rule.Comment) ? rule.Name : rule.Name + ": " + rule.Comment;

        /// <summary>The complete replacement script for a canonical policy (see <see cref="FirewallPolicyValidator.Normalize"/>).</summary>
        public static string Render(FirewallPolicy policy, string family, string table)
        {
            if (policy == null)
            {
                throw new ArgumentNullException(nameof(policy));
            }

            CheckTable(family, table);
            string head = family + " " + table;
            var text = new StringBuilder();
            text.Append("# Written by RemoteOps: this table is replaced as a whole on every change.\n");
            text.Append("table ").Append(head).Append('\n');
            text.Append("delete table ").Append(head).Append('\n');
            text.Append("table ").Append(head).Append(" {\n");
            foreach (FirewallAddressObject item in policy.AddressObjects)
            {
                text.Append("\tset ").Append(item.Name).Append(" {\n");
                text.Append("\t\ttype ipv4_addr\n");
                text.Append("\t\tflags interval\n");
                text.Append("\t\telements = { ").Append(string.Join(", ", item.Addresses)).Append(" }\n");
                text.Append("\t}\n");
            }

            foreach (FirewallChain chain in new[] { FirewallChain.Input, FirewallChain.Forward })
            {
                string name = ChainName(chain, true);
                text.Append("\tchain ").Append(name).Append(" {\n");
                text.Append("\t\ttype filter hook ").Append(name).Append(" priority filter; policy accept;\n");
                text.Append("\t\tct state established,related accept\n");
                AppendRules(text, policy.Rules.Where(r => r.Chain == chain && r.Enabled));
                text.Append("\t}\n");
            }

            foreach (FirewallChain chain in new[] { FirewallChain.Input, FirewallChain.Forward })
            {
                text.Append("\tchain ").Append(ChainName(chain, false)).Append(" {\n");
                AppendRules(text, policy.Rules.Where(r => r.Chain == chain && !r.Enabled));
                text.Append("\t}\n");
            }

            text.Append("}\n");
            return text.ToString();
        }

        /// <summary>One rule as an nft rule statement (without the chain).</summary>
        public static string RenderRule(FirewallRule rule)
        {
            var parts = new List<string>();
            if (rule.Source.Count > 0)
            {
                parts.Add("ip saddr " + Values(rule.Source));
            }

            if (rule.Destination.Count > 0)
            {
                parts.Add("ip daddr " + Values(rule.Destination));
            }

            string protocol = rule.Protocol.ToString().ToLowerInvariant();
            if (rule.Ports.Count > 0)
            {
                parts.Add(protocol + " dport " + Values(rule.Ports));
            }
            else if (rule.Protocol != FirewallProtocol.Any)
            {
                parts.Add("meta l4proto " + protocol);
            }

            switch (rule.Action)
            {
                case FirewallAction.Accept:
                    parts.Add("accept");
                    break;
                case FirewallAction.Drop:
                    parts.Add("drop");
                    break;
                default:
                    // A TCP reset makes the peer's connect fail at once ("connection refused");
                    // other protocols get nft's default ICMP port unreachable.
                    parts.Add(rule.Protocol == FirewallProtocol.Tcp ? "reject with tcp reset" : "reject");
                    break;
            }

            parts.Add("comment \"" + Label(rule) + "\"");
            return string.Join(" ", parts);
        }

        private static void AppendRules(StringBuilder text, IEnumerable<FirewallRule> rules)
        {
            foreach (FirewallRule rule in rules)
            {
                text.Append("\t\t").Append(RenderRule(rule)).Append('\n');
            }
        }

        private static string Values(IList<string> values)
        {
            if (values.Count == 1)
            {
                string only = values[0];
                return FirewallAddress.IsObjectName(only) ? "@" + only : only;
            }

            return "{ " + string.Join(", ", values) + " }";
        }
    }
}
