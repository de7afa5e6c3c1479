using System;
using System.Globalization;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Where an SSH connection goes: host, port and (optionally) the user to log in as.
    /// Every part is validated on construction, so a target can be put into a command line,
    /// a known_hosts line or a message without further checks.
    /// </summary>
    /// <remarks>
    /// The errors about a value a user typed carry no parameter name: .NET would append
    /// "(Parameter 'text')" to the message, an internal name that means nothing to that user.
    /// </remarks>
    public sealed class SshTarget : IEquatable<SshTarget>
    {
        /// <summary>The port OpenSSH uses when none is given, and which it leaves out when it writes a host.</summary>
        public const int DefaultPort = 22;

        private const int MaxTextLength = 300;
        private const int MaxUserNameLength = 32;

        private const string ValidForms = "host, host:port, user@host, user@host:port, [IPv6]:port or a bare IPv6 address";
        private const string ValidUserName =
            "1-32 characters of letters, digits, '.', '_' and '-', not starting with '-', optionally ending in '$'";

        /// <summary>Creates a target after validating each part.</summary>
        /// <exception cref="ArgumentException">A part is not valid; the message names it and what is valid.</exception>
        public SshTarget(string host, int port = DefaultPort, string userName = null)
        {
            if (!HostNameSyntax.IsValid(host))
            {
                throw new ArgumentException(DisplayText.Quote(host) + " is not a valid host: use " + HostNameSyntax.Description + ".");
            }

            ValidatePort(port, nameof(port));
            Host = host;
            Port = port;
            UserName = userName == null ? null : ValidateUserName(userName);
        }

        /// <summary>The DNS name or IP address, as given (an IPv6 address without brackets).</summary>
        public string Host { get; }

        /// <summary>The TCP port, 1-65535.</summary>
        public int Port { get; }

        /// <summary>The user to log in as, or null when none was given.</summary>
        public string UserName { get; }

        /// <summary>
        /// Parses host, host:port, user@host, user@host:port, [host]:port, [IPv6] or a bare
        /// IPv6 address (which cannot carry a port: its colons would be ambiguous).
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        /// <exception cref="ArgumentException">The text or a default is not valid; the message names it and what is valid.</exception>
        public static SshTarget Parse(string text, int defaultPort = DefaultPort, string defaultUser = null)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text), "The SSH target is null; pass " + ValidForms + ".");
            }

            if (text.Length == 0 || text.Length > MaxTextLength)
            {
                throw Invalid(text, "it must be 1-" + MaxTextLength.ToString(CultureInfo.InvariantCulture) + " characters long");
            }

            ValidatePort(defaultPort, nameof(defaultPort));

            var userName = defaultUser;
            var hostAndPort = text;
            var at = text.IndexOf('@');
            if (at >= 0)
            {
                userName = text.Substring(0, at);
                hostAndPort = text.Substring(at + 1);
                if (!IsValidUserName(userName))
                {
                    throw Invalid(text, "the user name " + DisplayText.Quote(userName) + " is not valid; use " + ValidUserName);
                }
            }
            else if (defaultUser != null && !IsValidUserName(defaultUser))
            {
                throw new ArgumentException(
                    "The default user name " + DisplayText.Quote(defaultUser) + " is not valid; use " + ValidUserName + ".");
            }

            SplitHostAndPort(text, hostAndPort, defaultPort, out var host, out var port);
            if (!HostNameSyntax.IsValid(host))
            {
                throw Invalid(text, "the host " + DisplayText.Quote(host) + " is not valid; use " + HostNameSyntax.Description);
            }

            return new SshTarget(host, port, userName);
        }

        /// <summary>
        /// True when <paramref name="text"/> gives a port of its own: [user@]host:port or
        /// [user@][host]:port. A bare IPv6 address has colons but no port.
        /// </summary>
        public static bool NamesPort(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            var hostAndPort = text.Substring(text.IndexOf('@') + 1);
            if (hostAndPort.StartsWith("[", StringComparison.Ordinal))
            {
                return hostAndPort.IndexOf("]:", StringComparison.Ordinal) >= 0;
            }

            var firstColon = hostAndPort.IndexOf(':');
            return firstColon >= 0 && hostAndPort.IndexOf(':', firstColon + 1) < 0;
        }

        /// <summary>The target in the form <see cref="Parse"/> reads back: [user@]host[:port], IPv6 in brackets, port 22 left out.</summary>
        public override string ToString()
        {
            var host = Host.IndexOf(':') >= 0 ? "[" + Host + "]" : Host;
            var port = Port == DefaultPort ? string.Empty : ":" + Port.ToString(CultureInfo.InvariantCulture);
            var user = UserName == null ? string.Empty : UserName + "@";
            return user + host + port;
        }

        /// <summary>Same host (ignoring case, as DNS does), port and user name.</summary>
        public bool Equals(SshTarget other)
        {
            return other != null
                && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase)
                && Port == other.Port
                && string.Equals(UserName, other.UserName, StringComparison.Ordinal);
        }

        /// <inheritdoc />
        public override bool Equals(object obj)
        {
            return Equals(obj as SshTarget);
        }

        /// <inheritdoc />
        public override int GetHashCode()
        {
            unchecked
            {
                var hash = StringComparer.OrdinalIgnoreCase.GetHashCode(Host);
                hash = (hash * 397) ^ Port;
                return (hash * 397) ^ (UserName == null ? 0 : StringComparer.Ordinal.GetHashCode(UserName));
            }
        }

        private static void SplitHostAndPort(string text, string hostAndPort, int defaultPort, out string host, out int port)
        {
            port = defaultPort;
            if (hostAndPort.StartsWith("[", StringComparison.Ordinal))
            {
                var close = hostAndPort.IndexOf(']');
                if (close < 0)
                {
                    throw Invalid(text, "the '[' has no matching ']'; write [host]:port");
                }

                host = hostAndPort.Substring(1, close - 1);
                var rest = hostAndPort.Substring(close + 1);
                if (rest.Length == 0)
                {
                    return;
                }

                if (rest[0] != ':')
                {
                    throw Invalid(text, "only ':port' may follow ']'");
                }

                port = ParsePort(text, rest.Substring(1));
                return;
            }

            var firstColon = hostAndPort.IndexOf(':');
            if (firstColon < 0)
            {
                host = hostAndPort;
                return;
            }

            if (hostAndPort.IndexOf(':', firstColon + 1) >= 0)
            {
                // Two or more colons: an IPv6 address, which cannot carry a port unbracketed.
                if (!HostNameSyntax.IsIPv6Literal(hostAndPort))
                {
                    throw Invalid(text, "it has several ':' but is not an IPv6 address; to give a port with an IPv6 address write [address]:port");
                }

                host = hostAndPort;
                return;
            }

            host = hostAndPort.Substring(0, firstColon);
            port = ParsePort(text, hostAndPort.Substring(firstColon + 1));
        }

        private static int ParsePort(string text, string portText)
        {
            // NumberStyles.None: no sign, no spaces, no thousands separators, no hex.
            if (portText.Length == 0 || portText.Length > 5
                || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || port < 1 || port > 65535)
            {
                throw Invalid(text, "the port " + DisplayText.Quote(portText) + " is not a number from 1 to 65535");
            }

            return port;
        }

        private static void ValidatePort(int port, string parameterName)
        {
            if (port < 1 || port > 65535)
            {
                throw new ArgumentOutOfRangeException(
                    parameterName,
                    port,
                    "The port " + port.ToString(CultureInfo.InvariantCulture) + " is not valid; use a TCP port from 1 to 65535.");
            }
        }

        // The set excludes every shell metacharacter, whitespace and '@', so a user name can
        // never change how a command line or a user@host string is read.
        private static bool IsValidUserName(string userName)
        {
            if (string.IsNullOrEmpty(userName) || userName.Length > MaxUserNameLength || userName[0] == '-')
            {
                return false;
            }

            for (var i = 0; i < userName.Length; i++)
            {
                var c = userName[i];
                var valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-'
                    || (c == '$' && i == userName.Length - 1 && i > 0);
                if (!valid)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Returns <paramref name="userName"/> if it is a valid user name, else throws naming it and what is valid.</summary>
        internal static string ValidateUserName(string userName)
        {
            if (userName == null)
            {
                throw new ArgumentNullException(nameof(userName), "The user name is null; pass " + ValidUserName + ".");
            }

            if (!IsValidUserName(userName))
            {
                throw new ArgumentException(
                    DisplayText.Quote(userName) + " is not a valid user name: use " + ValidUserName + ".");
            }

            return userName;
        }

        private static ArgumentException Invalid(string text, string reason)
        {
            return new ArgumentException(DisplayText.Quote(text) + " is not a valid SSH target: " + reason + ". Valid forms are " + ValidForms + ".");
        }
    }
}
