namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>
    /// One line of a known_hosts file as read: its original text (kept so that rewriting the
    /// file preserves comments and lines this parser does not understand), and the entry or
    /// the problem found in it. Blank and comment lines have neither.
    /// </summary>
    internal sealed class KnownHostsLine
    {
        public KnownHostsLine(string text, int lineNumber, KnownHostEntry entry, string problem)
        {
            Text = text;
            LineNumber = lineNumber;
            Entry = entry;
            Problem = problem;
        }

        public string Text { get; }

        public int LineNumber { get; }

        public KnownHostEntry Entry { get; }

        public string Problem { get; }
    }
}
