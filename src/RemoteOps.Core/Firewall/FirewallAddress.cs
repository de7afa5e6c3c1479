using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// One entry of a rule's Source or Destination, parsed and in canonical form: an IPv4 address,
    /// a CIDR network, a range, or the name of an address object. The canonical text is the form
    /// nftables prints back (a /32 network is an address, a range that is exactly a network is
    /// that network), so what is written compares equal to what is read.
    /// </summary>
    public sealed class FirewallAddress
    {
        private static readonly Regex ObjectName = new Regex("^[A-Za-z][A-Za-z0-9_]{0,31}\\z", RegexOptions.CultureInvariant);
        private static readonly Regex Ipv4 = new Regex("^([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\z", RegexOptions.CultureInvariant);

        private FirewallAddress(string text, uint first, uint last, string objectName)
        {
            Text = text;
            First = first;
            Last = last;
            Object = objectName;
        }

        /// <summary>The canonical text.</summary>
        public string Text { get; }

        /// <summary>The first address covered (not for an object).</summary>
        public uint First { get; }

        /// <summary>The last address covered (not for an object).</summary>
        public uint Last { get; }

        /// <summary>The address object named, or null for a literal address.</summary>
        public string Object { get; }

        /// <summary>True for a reference to an address object.</summary>
        public bool IsObject => Object != null;

        /// <summary>True when the name is acceptable for an address object (an nftables set name).</summary>
        public static bool IsObjectName(string name) => name != null && ObjectName.IsMatch(name);

        /// <summary>Parses one entry; a malformed one is refused with what is wrong and what is valid.</summary>
        /// <exception cref="FormatException">Not an address, network, range or object name.</exception>
        public static FirewallAddress Parse(string value)
        {
            string text = (value ?? string.Empty).Trim();
            if (text.Length == 0)
            {
                throw new FormatException("an empty address is not valid");
            }

            if (IsObjectName(text))
            {
                return new FirewallAddress(text, 0, 0, text);
            }

            if (text.IndexOf(':') >= 0)
            {
                throw new FormatException($"'{text}' is IPv6, which this version does not manage yet; use IPv4 addresses");
            }

            int dash = text.IndexOf('-');
            if (dash >= 0)
            {
                uint from = ParseIpv4(text.Substring(0, dash).Trim(), text);
                uint to = ParseIpv4(text.Substring(dash + 1).Trim(), text);
                if (from > to)
                {
                    throw new FormatException($"the range '{text}' ends before it starts");
                }

                return FromSpan(from, to);
            }

            int slash = text.IndexOf('/');
            if (slash >= 0)
            {
                uint address = ParseIpv4(text.Substring(0, slash), text);
                string lengthText = text.Substring(slash + 1);
                if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length < 0 || length > 32)
                {
                    throw new FormatException($"'{text}' has prefix length '{lengthText}'; it must be 0 to 32");
                }

                uint mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
                if ((address & ~mask) != 0)
                {
                    throw new FormatException($"'{text}' has host bits set; the network is {Format(address & mask)}/{length}");
                }

                return FromSpan(address, address | ~mask);
            }

            uint single = ParseIpv4(text, text);
            return FromSpan(single, single);
        }

        /// <summary>True when the two literal entries cover a common address.</summary>
        public bool Overlaps(FirewallAddress other) => !IsObject && !other.IsObject && First <= other.Last && other.First <= Last;

        /// <inheritdoc />
        public override string ToString() => Text;

        internal static string Format(uint address) => string.Format(
            CultureInfo.InvariantCulture, "{0}.{1}.{2}.{3}", address >> 24, (address >> 16) & 255, (address >> 8) & 255, address & 255);

        private static FirewallAddress FromSpan(uint first, uint last)
        {
            if (first == last)
            {
                return new FirewallAddress(Format(first), first, last, null);
            }

            ulong size = (ulong)last - first + 1;
            bool powerOfTwo = (size & (size - 1)) == 0;
            if (powerOfTwo && (first & (uint)(size - 1)) == 0)
            {
                int length = 32;
                for (ulong s = size; s > 1; s >>= 1)
                {
                    length--;
                }

                return new FirewallAddress($"{Format(first)}/{length.ToString(CultureInfo.InvariantCulture)}", first, last, null);
            }

            return new FirewallAddress($"{Format(first)}-{Format(last)}", first, last, null);
        }

        private static uint ParseIpv4(string text, string whole)
        {
            Match match = Ipv4.Match(text);
            if (!match.Success)
            {
                throw new FormatException($"'{whole}' is not an IPv4 address, CIDR network (10.0.0.0/8), range (10.0.0.1-10.0.0.9) or address object name");
            }

            uint value = 0;
            for (int i = 1; i <= 4; i++)
            {
                int octet = int.Parse(match.Groups[i].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                if (octet > 255)
                {
                    throw new FormatException($"'{whole}' has the octet {octet}; octets are 0 to 255");
                }

                value = (value << 8) | (uint)octet;
            }

            return value;
        }
    }
}
