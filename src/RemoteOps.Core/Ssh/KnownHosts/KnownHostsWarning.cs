using System.Globalization;

namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>A known_hosts line that was skipped, or a file that could not be read, and why.</summary>
    public sealed class KnownHostsWarning
    {
        internal KnownHostsWarning(string sourcePath, int lineNumber, string message)
        {
            SourcePath = sourcePath;
            LineNumber = lineNumber;
            Message = message;
        }

        /// <summary>The file the problem is in.</summary>
        public string SourcePath { get; }

        /// <summary>The 1-based line, or 0 when the whole file is affected.</summary>
        public int LineNumber { get; }

        /// <summary>What is wrong, and for a line, the form that would be valid.</summary>
        public string Message { get; }

        /// <summary>"path:line: message", the form compilers and OpenSSH use.</summary>
        public override string ToString()
        {
            return LineNumber > 0
                ? string.Format(CultureInfo.InvariantCulture, "{0}:{1}: {2}", SourcePath, LineNumber, Message)
                : SourcePath + ": " + Message;
        }
    }
}
