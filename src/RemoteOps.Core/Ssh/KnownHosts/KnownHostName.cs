using System;
using System.Globalization;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>
    /// The host string OpenSSH matches known_hosts patterns (and hashes) against: the
    /// lower-cased host for port 22, "[host]:port" for any other port.
    /// </summary>
    internal static class KnownHostName
    {
        public static string Format(string host, int port)
        {
            var lower = host.ToLowerInvariant();
            return port == SshTarget.DefaultPort
                ? lower
                : "[" + lower + "]:" + port.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>True when <paramref name="pattern"/> is "[host]:port" for this host and any port.</summary>
        public static bool IsBracketedForm(string pattern, string host)
        {
            var prefix = "[" + host + "]:";
            if (!pattern.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || pattern.Length == prefix.Length)
            {
                return false;
            }

            for (var i = prefix.Length; i < pattern.Length; i++)
            {
                if (pattern[i] < '0' || pattern[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }

        public static void ValidatePort(int port, string parameterName)
        {
            if (port < 1 || port > 65535)
            {
                throw new ArgumentOutOfRangeException(
                    parameterName,
                    port,
                    "The port " + port.ToString(CultureInfo.InvariantCulture) + " is not valid; use a TCP port from 1 to 65535.");
            }
        }

        public static void ValidateHost(string host, string parameterName)
        {
            if (host == null)
            {
                throw new ArgumentNullException(parameterName);
            }

            if (!HostNameSyntax.IsValid(host))
            {
                throw new ArgumentException(
                    DisplayText.Quote(host) + " is not a valid host: use " + HostNameSyntax.Description + ".",
                    parameterName);
            }
        }
    }
}
