using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Bandwidth.LinuxTc
{
    /// <summary>
    /// Reads the HTB classes of "tc -s class show dev DEV". iproute2 6.1 prints HTB classes as text
    /// even with -j (only the qdisc list is JSON there), so the text is read:
    /// <code>
    /// class htb 1:10 parent 1:1 prio 1 rate 6Mbit ceil 10Mbit burst 1599b cburst 1600b
    ///  Sent 11063704 bytes 7341 pkt (dropped 0, overlimits 699 requeues 0)
    ///  rate 116496bit 9pps backlog 0b 0p requeues 0
    /// </code>
    /// The second "rate" line is there only when the class has a rate estimator.
    /// </summary>
    public static class TcClassText
    {
        private static readonly Regex Sent = new Regex("^Sent ([0-9]+) bytes ([0-9]+) pkt \\(dropped ([0-9]+), overlimits ([0-9]+)", RegexOptions.CultureInvariant);
        private static readonly Regex Estimate = new Regex("^rate ([0-9]+[KMGT]?bit) ", RegexOptions.CultureInvariant);

        /// <summary>The HTB classes listed; lines of other kinds are skipped.</summary>
        public static IList<TcClass> Parse(string text)
        {
            var classes = new List<TcClass>();
            TcClass current = null;
            foreach (string raw in (text ?? string.Empty).Split('\n'))
            {
                string line = raw.Trim();
                if (line.StartsWith("class ", StringComparison.Ordinal))
                {
                    current = ReadHead(line);
                    if (current != null)
                    {
                        classes.Add(current);
                    }

                    continue;
                }

                if (current == null)
                {
                    continue;
                }

                Match sent = Sent.Match(line);
                if (sent.Success)
                {
                    current.Bytes = Number(sent.Groups[1].Value);
                    current.Packets = Number(sent.Groups[2].Value);
                    current.Drops = Number(sent.Groups[3].Value);
                    current.Overlimits = Number(sent.Groups[4].Value);
                    continue;
                }

                Match estimate = Estimate.Match(line);
                if (estimate.Success)
                {
                    current.CurrentRate = BandwidthRate.FromTc(estimate.Groups[1].Value);
                }
            }

            return classes;
        }

        private static TcClass ReadHead(string line)
        {
            string[] words = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 3 || words[1] != "htb")
            {
                return null;
            }

            var item = new TcClass { ClassId = words[2] };
            for (int i = 3; i < words.Length; i++)
            {
                string next = i + 1 < words.Length ? words[i + 1] : null;
                switch (words[i])
                {
                    case "parent": item.Parent = next; i++; break;
                    case "leaf": i++; break;
                    case "prio": item.Priority = int.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out int prio) ? prio : (int?)null; i++; break;
                    case "rate": item.Rate = BandwidthRate.FromTc(next); i++; break;
                    case "ceil": item.Ceiling = BandwidthRate.FromTc(next); i++; break;
                    case "burst":
                    case "cburst":
                    case "quantum":
                    case "level":
                    case "buffer":
                    case "cbuffer":
                        i++;
                        break;
                }
            }

            return item;
        }

        private static long Number(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
