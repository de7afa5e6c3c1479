using System.Globalization;
using System.Text;

namespace RemoteOps.Core.Quoting
{
    /// <summary>
    /// Renders a caller-supplied value for an error message. Hostile input ends up in
    /// exception messages, logs and consoles, so control characters are shown escaped
    /// (a raw newline or ANSI escape could forge log lines or repaint a terminal) and
    /// very long values are cut short.
    /// </summary>
    internal static class DisplayText
    {
        private const int MaxShownCharacters = 100;

        public static string Quote(string value)
        {
            if (value == null)
            {
                return "(null)";
            }

            var builder = new StringBuilder(value.Length + 2);
            builder.Append('\'');
            var shown = value.Length > MaxShownCharacters ? MaxShownCharacters : value.Length;
            for (var i = 0; i < shown; i++)
            {
                AppendVisible(builder, value[i]);
            }

            builder.Append('\'');
            if (value.Length > shown)
            {
                builder.Append(" (").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters, cut short)");
            }

            return builder.ToString();
        }

        /// <summary>
        /// The whole value, unquoted, with control, format and line-separator characters
        /// written as escapes (\n, \u001b, ...); null stays null.
        /// </summary>
        public static string Visible(string value)
        {
            if (value == null)
            {
                return null;
            }

            var builder = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                AppendVisible(builder, c);
            }

            return builder.ToString();
        }

        private static void AppendVisible(StringBuilder builder, char c)
        {
            switch (c)
            {
                case '\n': builder.Append("\\n"); return;
                case '\r': builder.Append("\\r"); return;
                case '\t': builder.Append("\\t"); return;
                case '\0': builder.Append("\\0"); return;
            }

            // Format and line/paragraph separators can hide or reorder text (RTL overrides)
            // as well as control characters can.
            var category = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || category == UnicodeCategory.Format
                || category == UnicodeCategory.LineSeparator || category == UnicodeCategory.ParagraphSeparator)
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                return;
            }

            builder.Append(c);
        }
    }
}
