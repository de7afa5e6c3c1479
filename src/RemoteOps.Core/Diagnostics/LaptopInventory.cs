using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics
{
    /// <summary>
    /// Which laptop each user has, for the LaptopCompliance check of Test-RoRemoteAccess: a CSV
    /// file with the columns UserName and ComputerName (and Port, optional), or a JSON array of
    /// objects with those keys. Every row is checked when the file is read: a bad user name,
    /// laptop name or port stops the diagnosis with the file, the line and the value. A user may
    /// have several laptops. The first-boot enrolment of New-RoLaptopImage records the laptop
    /// (host name, machine id, host key) but not its user, so it cannot serve here by itself.
    /// </summary>
    public sealed class LaptopInventory
    {
        private readonly List<LaptopInventoryEntry> entries;

        private LaptopInventory(string source, List<LaptopInventoryEntry> entries)
        {
            Source = source;
            this.entries = entries;
        }

        /// <summary>Where the inventory was read from (for messages).</summary>
        public string Source { get; }

        /// <summary>Every laptop listed.</summary>
        public IReadOnlyList<LaptopInventoryEntry> Entries => entries;

        /// <summary>The laptops of <paramref name="userName"/>, compared without regard to case.</summary>
        public IReadOnlyList<LaptopInventoryEntry> For(string userName) =>
            entries.Where(e => string.Equals(e.UserName, userName, StringComparison.OrdinalIgnoreCase)).ToList();

        /// <summary>
        /// Reads an inventory: JSON when the text starts with '[' (after white space), else CSV.
        /// Throws <see cref="FormatException"/> naming <paramref name="source"/>, the line and the bad value.
        /// </summary>
        public static LaptopInventory Parse(string text, string source)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            return text.TrimStart().StartsWith("[", StringComparison.Ordinal) ? ParseJson(text, source) : ParseCsv(text, source);
        }

        private static LaptopInventory ParseJson(string text, string source)
        {
            JArray rows;
            try
            {
                rows = JArray.Parse(text, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            }
            catch (JsonReaderException error)
            {
                throw new FormatException($"{source}: line {error.LineNumber}: not valid JSON ({error.Message}).", error);
            }

            var entries = new List<LaptopInventoryEntry>();
            foreach (JToken row in rows)
            {
                int line = ((IJsonLineInfo)row).LineNumber;
                if (!(row is JObject item))
                {
                    throw new FormatException($"{source}: line {line}: each entry must be an object with UserName and ComputerName (and Port), not {row.Type}.");
                }

                string Field(string name) => item.Properties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value?.ToString();
                string unknown = item.Properties().Select(p => p.Name).FirstOrDefault(n => !Columns.Contains(n, StringComparer.OrdinalIgnoreCase));
                if (unknown != null)
                {
                    throw new FormatException($"{source}: line {line}: '{unknown}' is not an inventory key; valid keys: {string.Join(", ", Columns)}.");
                }

                entries.Add(Entry(source, line, Field("UserName"), Field("ComputerName"), Field("Port")));
            }

            return new LaptopInventory(source, entries);
        }

        private static readonly string[] Columns = { "UserName", "ComputerName", "Port" };

        private static LaptopInventory ParseCsv(string text, string source)
        {
            string[] lines = text.Replace("\r\n", "\n").Split('\n');
            int headerLine = Array.FindIndex(lines, l => l.Trim().Length > 0);
            if (headerLine < 0)
            {
                throw new FormatException($"{source}: the inventory is empty; give a header line UserName,ComputerName[,Port] and one line per laptop.");
            }

            List<string> header = SplitCsv(lines[headerLine], source, headerLine + 1);
            int user = header.FindIndex(h => string.Equals(h, "UserName", StringComparison.OrdinalIgnoreCase));
            int computer = header.FindIndex(h => string.Equals(h, "ComputerName", StringComparison.OrdinalIgnoreCase));
            int port = header.FindIndex(h => string.Equals(h, "Port", StringComparison.OrdinalIgnoreCase));
            if (user < 0 || computer < 0)
            {
                throw new FormatException($"{source}: line {headerLine + 1}: the header must name the columns UserName and ComputerName (and Port, optional), not '{lines[headerLine].Trim()}'.");
            }

            var entries = new List<LaptopInventoryEntry>();
            for (int i = headerLine + 1; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0)
                {
                    continue;
                }

                List<string> cells = SplitCsv(lines[i], source, i + 1);
                string Cell(int index) => index >= 0 && index < cells.Count ? cells[index] : null;
                entries.Add(Entry(source, i + 1, Cell(user), Cell(computer), Cell(port)));
            }

            return new LaptopInventory(source, entries);
        }

        private static LaptopInventoryEntry Entry(string source, int line, string userName, string computerName, string port)
        {
            try
            {
                VpnUserName.Validate(userName);
            }
            catch (ArgumentException)
            {
                throw new FormatException($"{source}: line {line}: UserName '{userName}' is not a valid user name (1-64 characters: letters, digits and . _ @ -, starting with a letter or digit).");
            }

            int number = SshTarget.DefaultPort;
            if (!string.IsNullOrWhiteSpace(port)
                && (!int.TryParse(port.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1 || number > 65535))
            {
                throw new FormatException($"{source}: line {line}: Port '{port}' is not a TCP port (1-65535).");
            }

            SshTarget target;
            try
            {
                target = new SshTarget(computerName?.Trim(), number);
            }
            catch (ArgumentException)
            {
                throw new FormatException($"{source}: line {line}: ComputerName '{computerName}' is not a host name or IP address.");
            }

            return new LaptopInventoryEntry(userName, target.Host, target.Port, line);
        }

        // RFC 4180 fields: commas separate, double quotes enclose, "" is a quote inside quotes
        // (what Export-Csv writes).
        private static List<string> SplitCsv(string line, string source, int number)
        {
            var cells = new List<string>();
            var cell = new StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        cell.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    cells.Add(cell.ToString().Trim());
                    cell.Clear();
                }
                else
                {
                    cell.Append(c);
                }
            }

            if (quoted)
            {
                throw new FormatException($"{source}: line {number}: a quoted field is not closed.");
            }

            cells.Add(cell.ToString().Trim());
            return cells;
        }
    }
}
