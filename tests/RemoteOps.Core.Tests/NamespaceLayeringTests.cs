using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests
{
    /// <summary>
    /// Core's areas (Errors, Ssh, Rest, Vpn, Firewall, ...) form layers: an area may use the ones
    /// below it, never one that uses it back, so that each can be understood, tested and reused
    /// without the ones above. Read from the sources: using directives and qualified names in code.
    /// </summary>
    public sealed class NamespaceLayeringTests
    {
        private static readonly Regex FileNamespace = new Regex(@"^\s*namespace\s+RemoteOps\.Core\.(\w+)", RegexOptions.Multiline);
        private static readonly Regex Comments = new Regex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline);
        private static readonly Regex Strings = new Regex(@"@""(?:""""|[^""])*""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])'");
        private static readonly Regex FullName = new Regex(@"\bRemoteOps\.Core\.(\w+)");
        private static readonly Regex PartialName = new Regex(@"(?<![\w.])(\w+)\.[A-Z]\w*");

        [Fact]
        public void NoTwoAreasOfCoreUseEachOther()
        {
            Dictionary<string, Dictionary<string, string>> uses = AreaUses();

            var cycles = new List<string>();
            foreach (string area in uses.Keys.OrderBy(a => a, StringComparer.Ordinal))
            {
                List<string> path = PathBack(uses, area);
                if (path != null)
                {
                    cycles.Add(string.Join(" -> ", path.Select((a, i) => i + 1 < path.Count ? $"{a} ({uses[a][path[i + 1]]})" : a)));
                }
            }

            Assert.True(cycles.Count == 0, "Areas of Core that use each other:\n" + string.Join("\n", cycles));
        }

        [Fact]
        public void TheReadingOfTheSourcesFindsTheUsesThatAreThere()
        {
            Dictionary<string, Dictionary<string, string>> uses = AreaUses();

            // Uses that certainly exist: the check above proves nothing if it finds none.
            Assert.Contains("Hosts", uses["Ssh"].Keys);
            Assert.Contains("Firewall", uses["Vpn"].Keys);
            Assert.Contains("Ssh", uses["Laptops"].Keys);
            Assert.DoesNotContain("Vpn", uses["Firewall"].Keys);
        }

        // Finds a way from the area back to itself through the uses, or null.
        private static List<string> PathBack(Dictionary<string, Dictionary<string, string>> uses, string start)
        {
            var queue = new Queue<List<string>>();
            queue.Enqueue(new List<string> { start });
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (queue.Count > 0)
            {
                List<string> path = queue.Dequeue();
                if (!uses.TryGetValue(path[path.Count - 1], out Dictionary<string, string> next))
                {
                    continue;
                }

                foreach (string area in next.Keys)
                {
                    if (area == start)
                    {
                        return path.Concat(new[] { start }).ToList();
                    }

                    if (seen.Add(area))
                    {
                        queue.Enqueue(path.Concat(new[] { area }).ToList());
                    }
                }
            }

            return null;
        }

        // Area -> used area -> one file that uses it (for the message).
        private static Dictionary<string, Dictionary<string, string>> AreaUses()
        {
            string core = Path.Combine(RepositoryFolder.Root(), "src", "RemoteOps.Core");
            var areas = new HashSet<string>(
                Directory.EnumerateDirectories(core).Select(Path.GetFileName).Where(d => d != "bin" && d != "obj"),
                StringComparer.Ordinal);
            var uses = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (string file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(core, file);
                if (relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue;
                }

                string text = File.ReadAllText(file);
                Match own = FileNamespace.Match(text);
                if (!own.Success)
                {
                    continue;
                }

                string area = own.Groups[1].Value;
                string code = Strings.Replace(Comments.Replace(text, string.Empty), "\"\"");
                IEnumerable<string> named = FullName.Matches(code).Select(m => m.Groups[1].Value)
                    .Concat(PartialName.Matches(code).Select(m => m.Groups[1].Value));
                foreach (string used in named.Where(n => n != area && areas.Contains(n)))
                {
                    if (!uses.TryGetValue(area, out Dictionary<string, string> byArea))
                    {
                        uses[area] = byArea = new Dictionary<string, string>(StringComparer.Ordinal);
                    }

                    if (!byArea.ContainsKey(used))
                    {
                        byArea[used] = relative;
                    }
                }
            }

            return uses;
        }
    }
}
