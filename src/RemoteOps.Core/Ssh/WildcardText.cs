using System;
using System.Text;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Ssh
{
    /// <summary>A name filter as PowerShell users type them: * and ? are wildcards, case does not matter.</summary>
    internal sealed class WildcardText
    {
        private readonly Regex pattern;

        internal WildcardText(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var builder = new StringBuilder("^");
            foreach (char c in text)
            {
                builder.Append(c == '*' ? ".*" : c == '?' ? "." : Regex.Escape(c.ToString()));
            }

            pattern = new Regex(builder.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }

        internal bool Matches(string value) => value != null && pattern.IsMatch(value);
    }
}
