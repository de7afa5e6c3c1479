using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// The value rules of a baseline: what a package name, a USB id, a network or a gateway may be.
    /// Values end up in scripts run as root on every laptop, so anything outside these rules
    /// (shell syntax above all) is refused before a host is touched. Each rule returns null for
    /// a good value, or what is wrong and what is valid.
    /// </summary>
    public static class LaptopBaselineValues
    {
        /// <summary>The openconnect protocols NetworkManager's openconnect plugin knows.</summary>
        public static readonly string[] VpnProtocols = { "anyconnect", "nc", "pulse", "fortinet", "gp", "array" };

        // Debian Policy 5.6.1: lower-case letters, digits, + - . ; at least two characters, starting alphanumeric.
        private static readonly Regex PackageName = new Regex("^[a-z0-9][a-z0-9+.-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex UsbId = new Regex("^[0-9a-fA-F]{4}$", RegexOptions.CultureInvariant);
        private static readonly Regex Serial = new Regex("^[A-Za-z0-9._-]{1,126}$", RegexOptions.CultureInvariant);
        private static readonly Regex ProfileName = new Regex("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$", RegexOptions.CultureInvariant);
        private static readonly Regex HostLabel = new Regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant);
        private static readonly Regex Cipher = new Regex("^[a-z0-9]+(-[a-z0-9:]+)*$", RegexOptions.CultureInvariant);
        private static readonly Regex Pin = new Regex("^pin-sha256:[A-Za-z0-9+/]{43}=$", RegexOptions.CultureInvariant);

        /// <summary>A Debian package name.</summary>
        public static string CheckPackageName(string value) =>
            value != null && PackageName.IsMatch(value) ? null
                : $"'{value}' is not a Debian package name (lower-case letters, digits, '+', '-' and '.', at least two characters, starting with a letter or digit)";

        /// <summary>A USB vendor or product id.</summary>
        public static string CheckUsbId(string value) =>
            value != null && UsbId.IsMatch(value) ? null : $"'{value}' is not a USB id (four hex digits, for example '0951')";

        /// <summary>A USB serial number as usbguard matches it.</summary>
        public static string CheckSerial(string value) =>
            value == null || Serial.IsMatch(value) ? null : $"'{value}' is not a USB serial number this baseline accepts (1-126 letters, digits, '.', '_' or '-')";

        /// <summary>A NetworkManager connection name (also its file name).</summary>
        public static string CheckProfileName(string value) =>
            value != null && ProfileName.IsMatch(value) ? null
                : $"'{value}' is not a VPN profile name this baseline accepts (1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit)";

        /// <summary>A gateway: host name or IP address, with an optional :port.</summary>
        public static string CheckGateway(string value)
        {
            string problem = $"'{value}' is not a VPN gateway (a host name or IPv4 address, optionally with :port, for example 'vpn.example.com:443')";
            if (string.IsNullOrEmpty(value))
            {
                return problem;
            }

            string host = value;
            int colon = value.LastIndexOf(':');
            if (colon >= 0)
            {
                host = value.Substring(0, colon);
                if (!int.TryParse(value.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
                {
                    return problem;
                }
            }

            return host.Length > 0 && host.Length <= 253 && host.Split('.').All(HostLabel.IsMatch) ? null : problem;
        }

        /// <summary>An openconnect protocol.</summary>
        public static string CheckProtocol(string value) =>
            VpnProtocols.Contains(value, StringComparer.Ordinal) ? null : $"'{value}' is not an openconnect protocol; valid values are {string.Join(", ", VpnProtocols)}";

        /// <summary>A pinned certificate as openconnect takes it.</summary>
        public static string CheckPin(string value) =>
            value == null || Pin.IsMatch(value) ? null : $"'{value}' is not a certificate pin ('pin-sha256:' and the base64 SHA-256 of the certificate's public key, 44 characters)";

        /// <summary>A dm-crypt cipher specification as luksDump prints it.</summary>
        public static string CheckCipher(string value) =>
            value == null || (value.Length <= 64 && Cipher.IsMatch(value)) ? null : $"'{value}' is not a cipher specification (for example 'aes-xts-plain64')";

        /// <summary>A LUKS header version.</summary>
        public static string CheckLuksVersion(int? value) =>
            value == null || value == 1 || value == 2 ? null : $"{value} is not a LUKS version; valid values are 1 and 2";

        /// <summary>The longest idle time before the screen locks.</summary>
        public static string CheckIdleSeconds(int? value) =>
            value == null || (value >= 1 && value <= 86400) ? null : $"{value} is not an idle time in seconds (1 to 86400)";

        /// <summary>A network in CIDR notation, IPv4 or IPv6, with no host bits set.</summary>
        public static string CheckNetwork(string value)
        {
            string problem = $"'{value}' is not a network in CIDR notation (for example '10.20.0.0/16' or 'fd00:20::/48')";
            if (!TryParseNetwork(value, out IPAddress address, out int prefix))
            {
                return problem;
            }

            return NetworkOf(address, prefix).Equals(address) ? null : $"'{value}' has host bits set; the network is {NetworkOf(address, prefix)}/{prefix.ToString(CultureInfo.InvariantCulture)}";
        }

        /// <summary>Splits a CIDR network; false when it is not one.</summary>
        public static bool TryParseNetwork(string value, out IPAddress address, out int prefix)
        {
            address = null;
            prefix = 0;
            if (string.IsNullOrEmpty(value))
            {
                return false;
            }

            string[] parts = value.Split('/');
            if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out address) || parts[0].IndexOf('%') >= 0
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
            {
                return false;
            }

            bool v4 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
            if (v4 && parts[0].Count(c => c == '.') != 3)
            {
                return false;
            }

            return prefix >= 0 && prefix <= (v4 ? 32 : 128);
        }

        private static IPAddress NetworkOf(IPAddress address, int prefix)
        {
            byte[] bytes = address.GetAddressBytes();
            for (int bit = prefix; bit < bytes.Length * 8; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }

            return new IPAddress(bytes);
        }
    }
}
