using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RemoteOps.Core.Bandwidth
{
    /// <summary>
    /// A DSCP value (0-63) by number or by the name nftables knows it by ("ef", "af41", "cs1").
    /// The canonical text is the name where one exists and the decimal number otherwise, so "46",
    /// "0x2e" and "ef" are one value.
    /// </summary>
    public static class BandwidthDscp
    {
        // The names nft 1.0.6 prints ("nft describe ip dscp"); df and be are 0 like cs0, so they
        // are read but never written.
        private static readonly KeyValuePair<string, int>[] Names =
        {
            Pair("cs0", 0), Pair("cs1", 8), Pair("cs2", 16), Pair("cs3", 24), Pair("cs4", 32), Pair("cs5", 40), Pair("cs6", 48), Pair("cs7", 56),
            Pair("lephb", 1), Pair("af11", 10), Pair("af12", 12), Pair("af13", 14), Pair("af21", 18), Pair("af22", 20), Pair("af23", 22),
            Pair("af31", 26), Pair("af32", 28), Pair("af33", 30), Pair("af41", 34), Pair("af42", 36), Pair("af43", 38), Pair("va", 44), Pair("ef", 46),
            Pair("df", 0), Pair("be", 0),
        };

        /// <summary>The value of a DSCP name or number.</summary>
        /// <exception cref="FormatException">Neither a known name nor 0-63.</exception>
        public static int Parse(string value)
        {
            string text = (value ?? string.Empty).Trim().ToLowerInvariant();
            foreach (KeyValuePair<string, int> name in Names)
            {
                if (name.Key == text)
                {
                    return name.Value;
                }
            }

            bool hex = text.StartsWith("0x", StringComparison.Ordinal);
            if (int.TryParse(hex ? text.Substring(2) : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 0 && number <= 63)
            {
                return number;
            }

            throw new FormatException($"'{value}' is not a DSCP value; use 0-63 or a name: {string.Join(", ", Names.Select(n => n.Key).Take(23))}");
        }

        /// <summary>The canonical text of a value: its name, or its number.</summary>
        public static string Format(int value)
        {
            foreach (KeyValuePair<string, int> name in Names)
            {
                if (name.Value == value)
                {
                    return name.Key;
                }
            }

            return value.ToString(CultureInfo.InvariantCulture);
        }

        private static KeyValuePair<string, int> Pair(string name, int value) => new KeyValuePair<string, int>(name, value);
    }
}
