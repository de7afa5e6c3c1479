using System.Collections.Generic;
using System.Text;

namespace RemoteOps.Core.Tests.Vpn.Ocserv
{
    /// <summary>
    /// Splits a command line as sh would for the forms PosixShell writes: words separated by
    /// blanks, '...' quoted literally, \' outside quotes a literal quote. Enough for the fake
    /// appliance to see which program and arguments a driver asked for.
    /// </summary>
    internal static class ShellWords
    {
        public static List<string> Split(string line)
        {
            var words = new List<string>();
            var word = new StringBuilder();
            bool inWord = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (c == '\'')
                {
                    inWord = true;
                    int end = line.IndexOf('\'', i + 1);
                    word.Append(line, i + 1, end - i - 1);
                    i = end;
                }
                else if (c == '\\' && i + 1 < line.Length)
                {
                    inWord = true;
                    word.Append(line[++i]);
                }
                else if (c == ' ' || c == '\t' || c == '\n')
                {
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                }
                else
                {
                    inWord = true;
                    word.Append(c);
                }
            }

            if (inWord)
            {
                words.Add(word.ToString());
            }

            return words;
        }
    }
}
