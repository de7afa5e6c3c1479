using System;
using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Laptops
{
    /// <summary>What the evidence script read on one laptop, section by section.</summary>
    public sealed class LaptopEvidence
    {
        private readonly Dictionary<string, List<string>> sections;

        private LaptopEvidence(Dictionary<string, List<string>> sections)
        {
            this.sections = sections;
        }

        /// <summary>True when the script ran to its end (a cut-off run is not evidence).</summary>
        public bool Complete => sections.ContainsKey("end");

        /// <summary>The lines of a section, blank lines left out; empty when the section printed nothing.</summary>
        public IReadOnlyList<string> Lines(string section) =>
            sections.TryGetValue(section, out List<string> lines) ? lines : (IReadOnlyList<string>)new string[0];

        /// <summary>Reads the script's output.</summary>
        public static LaptopEvidence Parse(string output)
        {
            var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            List<string> current = null;
            foreach (string raw in (output ?? string.Empty).Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.StartsWith(LaptopEvidenceScript.Marker, StringComparison.Ordinal))
                {
                    current = new List<string>();
                    sections[line.Substring(LaptopEvidenceScript.Marker.Length)] = current;
                }
                else if (current != null && line.Trim().Length > 0)
                {
                    current.Add(line);
                }
            }

            return new LaptopEvidence(sections);
        }

        /// <summary>The state of each queried package: name to dpkg's status abbreviation ("ii", "rc").</summary>
        public IReadOnlyDictionary<string, string> Packages()
        {
            var states = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string line in Lines("packages"))
            {
                string[] fields = line.Split('\t');
                if (fields.Length >= 2)
                {
                    states[fields[0]] = fields[1].Trim();
                }
            }

            return states;
        }

        /// <summary>True when dpkg says the package is installed (status "ii" or half-configured states that keep its files).</summary>
        public bool IsInstalled(string package) =>
            Packages().TryGetValue(package, out string state) && state.Length >= 2 && (state[1] == 'i' || state[1] == 'U' || state[1] == 'F' || state[1] == 'W' || state[1] == 't');

        /// <summary>Key=value lines of a section, as a dictionary (first value wins).</summary>
        public IReadOnlyDictionary<string, string> Settings(string section, char separator)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string line in Lines(section))
            {
                int at = line.IndexOf(separator);
                if (at > 0 && !values.ContainsKey(line.Substring(0, at).Trim()))
                {
                    values[line.Substring(0, at).Trim()] = line.Substring(at + 1).Trim();
                }
            }

            return values;
        }

        /// <summary>Lines of a section grouped under "file=NAME" headers.</summary>
        public IReadOnlyList<KeyValuePair<string, List<string>>> Files(string section, string header = "file=")
        {
            var files = new List<KeyValuePair<string, List<string>>>();
            foreach (string line in Lines(section))
            {
                if (line.StartsWith(header, StringComparison.Ordinal))
                {
                    files.Add(new KeyValuePair<string, List<string>>(line.Substring(header.Length), new List<string>()));
                }
                else if (files.Count > 0)
                {
                    files.Last().Value.Add(line);
                }
            }

            return files;
        }
    }
}
