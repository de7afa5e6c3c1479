using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// Checks a desired policy before anything is sent to a firewall, and returns it in canonical
    /// form (addresses and ports as the device prints them back). Every refusal names the rule or
    /// object, the bad value and what is valid.
    /// </summary>
    public static class FirewallPolicyValidator
    {
        /// <summary>The longest text a rule may carry as name plus comment: nftables stores at most 128 bytes of comment.</summary>
        public const int MaxLabelLength = 128;

        private static readonly Regex RuleName = new Regex("^[A-Za-z][A-Za-z0-9_.-]{0,63}\\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// The name prefix of a rule read from the device that RemoteOps did not write. Such a
        /// rule cannot be written back (what was read of it may be incomplete), so desired rules
        /// may not use the prefix.
        /// </summary>
        public const string UnmanagedPrefix = "unmanaged-";

        /// <summary>True when <paramref name="name"/> is a valid rule name.</summary>
        public static bool IsRuleName(string name) => name != null && RuleName.IsMatch(name);

        /// <summary>Validates and returns a canonical copy; the input is not changed.</summary>
        /// <exception cref="ArgumentException">A rule or object is not valid; the message says which and why.</exception>
        public static FirewallPolicy Normalize(FirewallPolicy policy)
        {
            if (policy == null)
            {
                throw new ArgumentNullException(nameof(policy));
            }

            var result = new FirewallPolicy();
            foreach (FirewallAddressObject item in policy.AddressObjects ?? new List<FirewallAddressObject>())
            {
                result.AddressObjects.Add(NormalizeObject(item, result));
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            int position = 0;
            foreach (FirewallRule rule in policy.Rules ?? new List<FirewallRule>())
            {
                position++;
                if (rule == null)
                {
                    throw new ArgumentException($"Rule {position} is empty.");
                }

                FirewallRule normal = NormalizeRule(rule, result);
                if (!names.Add(normal.Name))
                {
                    throw new ArgumentException($"The rule name '{normal.Name}' is used twice (rule {position} and an earlier one); rule names must be unique.");
                }

                result.Rules.Add(normal);
            }

            return result;
        }

        /// <summary>Validates one rule against the objects of <paramref name="policy"/> and returns its canonical copy.</summary>
        public static FirewallRule NormalizeRule(FirewallRule rule, FirewallPolicy policy)
        {
            if (!IsRuleName(rule.Name))
            {
                throw new ArgumentException($"'{rule.Name}' is not a valid rule name: use 1-64 letters, digits, '_', '-' or '.', starting with a letter.");
            }

            if (rule.Name.StartsWith(UnmanagedPrefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{rule.Name}' is a rule RemoteOps did not write (found on the device) and cannot be written back; leave it out, and the change removes it, or give the rule a name of your own.");
            }

            string where = $"Rule '{rule.Name}'";
            CheckEnum(rule.Action, where, "Action");
            CheckEnum(rule.Chain, where, "Chain");
            CheckEnum(rule.Protocol, where, "Protocol");
            CheckLabel(rule.Name, rule.Comment, where);
            FirewallRule normal = rule.Clone();
            normal.Appliance = null;
            normal.Comment = string.IsNullOrEmpty(rule.Comment) ? null : rule.Comment;
            normal.Source = NormalizeAddresses(rule.Source, $"{where}: Source", policy);
            normal.Destination = NormalizeAddresses(rule.Destination, $"{where}: Destination", policy);

            var ports = new List<FirewallPortRange>();
            foreach (string text in rule.Ports ?? new List<string>())
            {
                if (rule.Protocol != FirewallProtocol.Tcp && rule.Protocol != FirewallProtocol.Udp)
                {
                    throw new ArgumentException($"{where}: Ports '{text}' needs Protocol Tcp or Udp (Protocol is {rule.Protocol}).");
                }

                FirewallPortRange port;
                try
                {
                    port = FirewallPortRange.Parse(text);
                }
                catch (FormatException bad)
                {
                    throw new ArgumentException($"{where}: Ports: {bad.Message}.");
                }

                FirewallPortRange clash = ports.FirstOrDefault(p => p.Overlaps(port));
                if (clash != null)
                {
                    throw new ArgumentException($"{where}: Ports '{port}' overlaps '{clash}'; list each port once.");
                }

                ports.Add(port);
            }

            normal.Ports = ports.Select(p => p.Text).ToList();
            return normal;
        }

        private static FirewallAddressObject NormalizeObject(FirewallAddressObject item, FirewallPolicy done)
        {
            if (item == null || !FirewallAddress.IsObjectName(item.Name))
            {
                throw new ArgumentException($"'{item?.Name}' is not a valid address object name: use 1-32 letters, digits or '_', starting with a letter.");
            }

            if (done.FindObject(item.Name) != null)
            {
                throw new ArgumentException($"The address object '{item.Name}' is defined twice.");
            }

            string where = $"Address object '{item.Name}'";
            List<FirewallAddress> parsed = ParseAll(item.Addresses, where, null);
            if (parsed.Count == 0)
            {
                throw new ArgumentException($"{where} has no addresses; give at least one.");
            }

            FirewallAddress named = parsed.FirstOrDefault(a => a.IsObject);
            if (named != null)
            {
                throw new ArgumentException($"{where}: '{named.Text}' is an object name; an address object holds only addresses, networks and ranges.");
            }

            return new FirewallAddressObject { Name = item.Name, Addresses = parsed.Select(a => a.Text).ToList() };
        }

        private static IList<string> NormalizeAddresses(IList<string> values, string where, FirewallPolicy policy)
        {
            List<FirewallAddress> parsed = ParseAll(values, where, policy);
            FirewallAddress named = parsed.FirstOrDefault(a => a.IsObject);
            if (named != null && parsed.Count > 1)
            {
                throw new ArgumentException($"{where}: the address object '{named.Text}' must be the only entry; put the other addresses into the object.");
            }

            return parsed.Select(a => a.Text).ToList();
        }

        private static List<FirewallAddress> ParseAll(IList<string> values, string where, FirewallPolicy policy)
        {
            var parsed = new List<FirewallAddress>();
            foreach (string value in values ?? new List<string>())
            {
                FirewallAddress address;
                try
                {
                    address = FirewallAddress.Parse(value);
                }
                catch (FormatException bad)
                {
                    throw new ArgumentException($"{where}: {bad.Message}.");
                }

                if (address.IsObject && policy != null && policy.FindObject(address.Object) == null)
                {
                    string known = string.Join(", ", (policy.AddressObjects ?? new List<FirewallAddressObject>()).Select(o => o.Name));
                    throw new ArgumentException($"{where}: '{address.Object}' is not a known address object" + (known.Length > 0 ? $" (known: {known})." : " (none are defined)."));
                }

                FirewallAddress clash = parsed.FirstOrDefault(p => p.Overlaps(address));
                if (clash != null)
                {
                    throw new ArgumentException($"{where}: '{address.Text}' overlaps '{clash.Text}'; list each address once.");
                }

                parsed.Add(address);
            }

            return parsed;
        }

        private static void CheckLabel(string name, string comment, string where)
        {
            if (string.IsNullOrEmpty(comment))
            {
                return;
            }

            foreach (char c in comment)
            {
                if (char.IsControl(c) || c == '"' || c == '\\')
                {
                    throw new ArgumentException($"{where}: the comment may not contain quotes, backslashes or control characters.");
                }
            }

            int length = System.Text.Encoding.UTF8.GetByteCount(name + ": " + comment);
            if (length > MaxLabelLength)
            {
                throw new ArgumentException($"{where}: name and comment together take {length} bytes (UTF-8, with the separator ': '); the firewall keeps at most {MaxLabelLength} (shorten the comment).");
            }
        }

        private static void CheckEnum<TEnum>(TEnum value, string where, string property)
            where TEnum : struct
        {
            if (!Enum.IsDefined(typeof(TEnum), value))
            {
                throw new ArgumentException($"{where}: {property} '{value}' is not one of {string.Join(", ", Enum.GetNames(typeof(TEnum)))}.");
            }
        }
    }
}
