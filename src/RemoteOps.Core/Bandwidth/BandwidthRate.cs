using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>
    /// A rate in bits per second, written as tc writes it: a number and one of bit, kbit, mbit,
    /// gbit (powers of 1000, any case, "1.5mbit" allowed). The canonical text is the form tc prints
    /// back ("20Mbit", "1500Kbit"), so a rate read from the device compares equal to the one written.
    /// </summary>
    public static class BandwidthRate
    {
        /// <summary>The lowest rate accepted, in bits per second (8kbit): HTB cannot keep slower rates apart.</summary>
        public const long Minimum = 8000;

        /// <summary>The highest rate accepted, in bits per second (100gbit).</summary>
        public const long Maximum = 100000000000;

        private static readonly Regex Form = new Regex("^([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)\\z", RegexOptions.CultureInvariant);

        /// <summary>Parses a rate; refuses what tc would read differently from what the user meant.</summary>
        /// <exception cref="FormatException">Not a rate; the message names the value and the valid forms.</exception>
        public static long Parse(string value)
        {
            string text = (value ?? string.Empty).Trim();
            Match match = Form.Match(text);
            if (!match.Success)
            {
                throw new FormatException($"'{value}' is not a rate; write a number and a unit: bit, kbit, mbit or gbit (\"20mbit\", \"1.5gbit\")");
            }

            long multiplier;
            switch (match.Groups[2].Value.ToLowerInvariant())
            {
                case "bit": multiplier = 1; break;
                case "kbit": multiplier = 1000; break;
                case "mbit": multiplier = 1000000; break;
                case "gbit": multiplier = 1000000000; break;
                case "":
                    throw new FormatException($"'{value}' has no unit; tc would read a bare number as bytes per second, so write bit, kbit, mbit or gbit (\"{text}mbit\")");
                case "bps":
                case "kbps":
                case "mbps":
                case "gbps":
                    throw new FormatException($"'{value}' uses {match.Groups[2].Value}, which tc reads as bytes (not bits) per second; write the rate in bit, kbit, mbit or gbit");
                default:
                    throw new FormatException($"'{value}' has the unit '{match.Groups[2].Value}'; use bit, kbit, mbit or gbit");
            }

            decimal number = decimal.Parse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            decimal bits = number * multiplier;
            if (bits < Minimum || bits > Maximum)
            {
                throw new FormatException($"'{value}' is outside {Format(Minimum)} to {Format(Maximum)}");
            }

            if (bits != decimal.Truncate(bits) || (long)bits % 8 != 0)
            {
                throw new FormatException($"'{value}' is not a whole number of bytes per second, which is what the kernel stores; round it (to kbit)");
            }

            return (long)bits;
        }

        /// <summary>True when <paramref name="value"/> parses.</summary>
        public static bool TryParse(string value, out long bits)
        {
            try
            {
                bits = Parse(value);
                return true;
            }
            catch (FormatException)
            {
                bits = 0;
                return false;
            }
        }

        /// <summary>
        /// The rate as tc prints it (iproute2 tc_util.c print_rate): divide by 1000 while the value
        /// stays whole, or while it is a million or more (then the remainder is dropped, as tc does).
        /// </summary>
        public static string Format(long bits)
        {
            string[] units = { string.Empty, "K", "M", "G", "T" };
            ulong rate = (ulong)Math.Max(0, bits);
            int i = 0;
            for (; i < units.Length - 1; i++)
            {
                if (rate < 1000 || (rate % 1000 != 0 && rate < 1000000))
                {
                    break;
                }

                rate /= 1000;
            }

            return rate.ToString(CultureInfo.InvariantCulture) + units[i] + "bit";
        }

        /// <summary>Reads a rate as tc prints it ("116496bit", "2620Kbit", "6Mbit"); null when it is not one.</summary>
        public static long? FromTc(string text)
        {
            Match match = Regex.Match(text ?? string.Empty, "^([0-9]+)([KMGT]?)bit\\z", RegexOptions.CultureInvariant);
            if (!match.Success)
            {
                return null;
            }

            long value = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            switch (match.Groups[2].Value)
            {
                case "K": return value * 1000;
                case "M": return value * 1000000;
                case "G": return value * 1000000000;
                case "T": return value * 1000000000000;
                default: return value;
            }
        }
    }
}
