using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// What this module accepts as a host: a DNS name or an IP address literal, nothing that
    /// a shell, a known_hosts file or a resolver could read as something else.
    /// </summary>
    internal static class HostNameSyntax
    {
        public const string Description =
            "a DNS name (dot-separated labels of letters, digits, '-' and '_', each 1-63 characters and not starting or ending with '-', "
            + "at most 253 characters in all, not ending in a numeric label) or an IPv4 or IPv6 address";

        private const int MaxNameLength = 253;
        private const int MaxLabelLength = 63;
        private const int MaxZoneLength = 32;

        public static bool IsValid(string host)
        {
            if (string.IsNullOrEmpty(host))
            {
                return false;
            }

            return IsIPv4Literal(host) || IsIPv6Literal(host) || IsDnsName(host);
        }

        public static bool IsIPv6Literal(string host)
        {
            if (string.IsNullOrEmpty(host) || host.IndexOf(':') < 0)
            {
                return false;
            }

            var address = host;
            var percent = host.IndexOf('%');
            if (percent >= 0)
            {
                // The zone ("%eth0") is checked here rather than by IPAddress because .NET
                // Framework and .NET disagree on which zone spellings they accept.
                var zone = host.Substring(percent + 1);
                if (!IsZone(zone))
                {
                    return false;
                }

                address = host.Substring(0, percent);
            }

            foreach (var c in address)
            {
                var valid = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
                if (!valid)
                {
                    return false;
                }
            }

            return IPAddress.TryParse(address, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6;
        }

        /// <summary>
        /// Strict dotted quad only. Resolvers also read "10.1", "0x7f.1" and "010.0.0.1"
        /// (octal) as addresses, which makes the same text name different hosts to
        /// different readers, so those spellings are refused outright.
        /// </summary>
        public static bool IsIPv4Literal(string host)
        {
            var parts = host.Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            foreach (var part in parts)
            {
                if (part.Length == 0 || part.Length > 3 || (part.Length > 1 && part[0] == '0'))
                {
                    return false;
                }

                foreach (var c in part)
                {
                    if (c < '0' || c > '9')
                    {
                        return false;
                    }
                }

                if (int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture) > 255)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsDnsName(string host)
        {
            if (host.Length > MaxNameLength)
            {
                return false;
            }

            var labels = host.Split('.');
            foreach (var label in labels)
            {
                if (!IsLabel(label))
                {
                    return false;
                }
            }

            return !IsNumeric(labels[labels.Length - 1]);
        }

        private static bool IsLabel(string label)
        {
            if (label.Length == 0 || label.Length > MaxLabelLength || label[0] == '-' || label[label.Length - 1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                var valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!valid)
                {
                    return false;
                }
            }

            return true;
        }

        // A last label like "1" or "0x7f" makes resolvers try the whole name as an address.
        private static bool IsNumeric(string label)
        {
            var digits = label;
            if (label.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                digits = label.Substring(2);
                foreach (var c in digits)
                {
                    if (!Uri.IsHexDigit(c))
                    {
                        return false;
                    }
                }

                return true;
            }

            foreach (var c in digits)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsZone(string zone)
        {
            if (zone.Length == 0 || zone.Length > MaxZoneLength)
            {
                return false;
            }

            foreach (var c in zone)
            {
                var valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                if (!valid)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
