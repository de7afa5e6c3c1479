using System;
using System.Globalization;
using System.Text;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Builds POSIX sh command lines from untrusted values. Every value becomes exactly one
    /// shell word whose text is the value, byte for byte; nothing in it is expanded.
    /// </summary>
    /// <remarks>
    /// Quoting stops the shell from interpreting a value, not the program that receives it:
    /// a value starting with '-' still looks like an option to most programs, so callers pass
    /// "--" before operands that may start with a dash.
    /// </remarks>
    public static class PosixShell
    {
        /// <summary>Quotes <paramref name="value"/> as a single sh word.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="value"/> contains a NUL character.</exception>
        public static string Quote(string value)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value), "A shell word cannot be null; pass an empty string for an empty argument.");
            }

            RejectNul(value, nameof(value));

            var builder = new StringBuilder(value.Length + 2);
            builder.Append('\'');
            foreach (var c in value)
            {
                if (c == '\'')
                {
                    builder.Append(PosixQuoting.EscapedSingleQuote);
                }
                else
                {
                    builder.Append(c);
                }
            }

            builder.Append('\'');
            return builder.ToString();
        }

        /// <summary>
        /// Joins <paramref name="program"/> and <paramref name="args"/> into one command line,
        /// each quoted as its own word.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="program"/> or an argument is null.</exception>
        /// <exception cref="ArgumentException">The program name is empty, or a value contains a NUL character.</exception>
        public static string JoinCommand(string program, params string[] args)
        {
            if (program == null)
            {
                throw new ArgumentNullException(nameof(program));
            }

            if (program.Length == 0)
            {
                throw new ArgumentException("The program name is empty; pass the name or path of the program to run, for example 'systemctl'.", nameof(program));
            }

            var builder = new StringBuilder(Quote(program));
            if (args == null)
            {
                return builder.ToString();
            }

            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] == null)
                {
                    throw new ArgumentNullException(
                        nameof(args),
                        string.Format(CultureInfo.InvariantCulture, "Argument {0} of '{1}' is null; pass an empty string for an empty argument.", i, program));
                }

                builder.Append(' ').Append(Quote(args[i]));
            }

            return builder.ToString();
        }

        private static void RejectNul(string value, string parameterName)
        {
            var index = value.IndexOf('\0');
            if (index >= 0)
            {
                // The value itself is not echoed: it may be a secret headed for a command line.
                throw new ArgumentException(
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "The value contains a NUL character at index {0} (length {1}). A shell word cannot hold NUL, because the C strings a command line is made of end at it; remove the NUL or send the data on standard input instead.",
                        index,
                        value.Length),
                    parameterName);
            }
        }
    }
}
