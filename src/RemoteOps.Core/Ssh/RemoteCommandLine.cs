using System;
using System.Globalization;
using System.Text;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// The command line as it travels to a host, and the size it may have. The whole line goes
    /// in one SSH "exec" request, and SSH.NET refuses to send a packet over 64 KiB plus 3000
    /// bytes ("Packet is too big"); the limit below leaves room for the request's framing, so
    /// a line within it is always sent.
    /// </summary>
    public static class RemoteCommandLine
    {
        /// <summary>The most UTF-8 bytes a command line may have, after the sudo wrapper is added.</summary>
        public const int MaxBytes = 64000;

        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        /// <summary>The line sent for <paramref name="commandLine"/>: as it is, or under 'sudo -n'.</summary>
        public static string ForHost(string commandLine, bool useSudo)
            => useSudo ? "sudo -n -- sh -c " + PosixShell.Quote(commandLine) : commandLine;

        /// <summary>
        /// Checks that <paramref name="commandLine"/> can be sent, and returns the line to send.
        /// </summary>
        /// <exception cref="ArgumentException">The line is empty, holds NUL, or is longer than <see cref="MaxBytes"/>; the message gives its size and the limit.</exception>
        public static string Validate(string commandLine, bool useSudo) => Validate(commandLine, useSudo, stoppable: false);

        /// <summary>
        /// Checks that <paramref name="commandLine"/> can be sent, with the wrapper of
        /// <see cref="StoppableCommandLine"/> around it when <paramref name="stoppable"/>, and
        /// returns the line to send.
        /// </summary>
        /// <exception cref="ArgumentException">The line is empty, holds NUL, or is longer than <see cref="MaxBytes"/>; the message gives its size and the limit.</exception>
        public static string Validate(string commandLine, bool useSudo, bool stoppable)
        {
            if (string.IsNullOrEmpty(commandLine))
            {
                throw new ArgumentException("The command is empty; pass the command line to run, for example 'uptime'.");
            }

            if (commandLine.IndexOf('\0') >= 0)
            {
                throw new ArgumentException("The command contains a NUL character, which no remote shell can receive.");
            }

            var text = stoppable ? StoppableCommandLine.Wrap(commandLine, useSudo).Text : ForHost(commandLine, useSudo);
            var bytes = Utf8.GetByteCount(text);
            if (bytes > MaxBytes)
            {
                throw new ArgumentException(string.Format(
                    CultureInfo.InvariantCulture,
                    "The command line is {0} bytes long{1}; at most {2} bytes fit in the one SSH request that carries it. Copy a longer script to the hosts with Send-RoFile and run the file, or send large data on standard input.",
                    bytes,
                    stoppable ? " with the wrapper that lets it be stopped on the host" : useSudo ? " with the sudo wrapper" : string.Empty,
                    MaxBytes));
            }

            return text;
        }
    }
}
