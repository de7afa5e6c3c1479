using System;
using System.Globalization;

namespace RemoteOps.Core.Firewall
{
    /// <summary>A destination port or port range ("443", "8000-8080"), in canonical form.</summary>
    public sealed class FirewallPortRange
    {
        private FirewallPortRange(int first, int last)
        {
            First = first;
            Last = last;
        }

        /// <summary>The first port.</summary>
        public int First { get; }

        /// <summary>The last port (equal to First for one port).</summary>
        public int Last { get; }

        /// <summary>"443" or "8000-8080".</summary>
        public string Text => First == Last
            ? First.ToString(CultureInfo.InvariantCulture)
            : string.Format(CultureInfo.InvariantCulture, "{0}-{1}", First, Last);

        /// <summary>A port or range from its numbers.</summary>
        public static FirewallPortRange Of(int first, int last) => new FirewallPortRange(first, last);

        /// <summary>Parses "443" or "8000-8080"; ports are 1 to 65535.</summary>
        /// <exception cref="FormatException">Not a port or range in 1 to 65535.</exception>
        public static FirewallPortRange Parse(string value)
        {
            string text = (value ?? string.Empty).Trim();
            int dash = text.IndexOf('-');
            int first = ParsePort(dash < 0 ? text : text.Substring(0, dash).Trim(), text);
            int last = dash < 0 ? first : ParsePort(text.Substring(dash + 1).Trim(), text);
            if (last < first)
            {
                throw new FormatException($"the port range '{text}' ends before it starts");
            }

            return new FirewallPortRange(first, last);
        }

        /// <summary>True when the two share a port.</summary>
        public bool Overlaps(FirewallPortRange other) => First <= other.Last && other.First <= Last;

        /// <inheritdoc />
        public override string ToString() => Text;

        private static int ParsePort(string text, string whole)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
            {
                throw new FormatException($"'{whole}' is not a port (1 to 65535) or port range (8000-8080)");
            }

            return port;
        }
    }
}
