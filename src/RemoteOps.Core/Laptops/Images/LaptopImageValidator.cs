using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>
    /// Refuses, before anything is written, every value that could change the meaning of the
    /// install files: each value ends up in a shell command, a YAML or debconf line or a
    /// configuration file on the laptop. The message names the value (never a secret) and what
    /// is valid.
    /// </summary>
    public static class LaptopImageValidator
    {
        /// <summary>The openconnect protocols NetworkManager's plugin knows.</summary>
        public static readonly string[] VpnProtocols = { "anyconnect", "nc", "pulse", "fortinet", "gp", "array" };

        private static readonly Regex HostLabel = new Regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant);
        private static readonly Regex UserName = new Regex("^[a-z_][a-z0-9_-]{0,31}$", RegexOptions.CultureInvariant);
        private static readonly Regex PackageName = new Regex("^[a-z0-9][a-z0-9+.-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex UsbId = new Regex("^[0-9a-fA-F]{4}$", RegexOptions.CultureInvariant);
        private static readonly Regex UsbSerial = new Regex("^[\\x21\\x23-\\x5b\\x5d-\\x7e]([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*[\\x21\\x23-\\x5b\\x5d-\\x7e])?$", RegexOptions.CultureInvariant);
        private static readonly Regex CertificatePin = new Regex("^pin-sha256:[A-Za-z0-9+/]{43}=$", RegexOptions.CultureInvariant);

        /// <summary>Throws LaptopImageValueException for the first value that cannot go into the install files.</summary>
        public static void Validate(LaptopImageRequest request)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            LaptopBaseline baseline = request.Baseline ?? throw new LaptopImageValueException("A baseline is required.", "Baseline");
            if (request.HostName == null || !HostLabel.IsMatch(request.HostName))
            {
                throw new LaptopImageValueException($"The host name '{request.HostName}' is not valid: give one DNS label of letters, digits and '-', 1 to 63 characters, not starting or ending with '-'.", "HostName");
            }

            if (request.UserName == null || !UserName.IsMatch(request.UserName) || request.UserName == "root")
            {
                throw new LaptopImageValueException($"The user name '{request.UserName}' is not valid: give a Linux user name other than root, starting with a lower-case letter or '_', then lower-case letters, digits, '_' or '-', at most 32 characters.", "Credential");
            }

            if (request.UserPassword == null || request.UserPassword.Length == 0)
            {
                throw new LaptopImageValueException("The first user needs a password (it is written only as a SHA-512 crypt hash).", "Credential");
            }

            ValidateEnrollment(request);
            ValidateDiskPassphrase(request.DiskPassphrase);
            ValidatePackages(baseline);
            ValidateVpn(baseline.VpnProfile);
            ValidateUsb(baseline.UsbStorage);
            ValidateFirewall(baseline.HostFirewall);
            ValidateDisk(baseline.DiskEncryption);
            if (baseline.ScreenLock?.MaxIdleSeconds is int idle && idle <= 0)
            {
                throw new LaptopImageValueException($"The screen lock's idle time {idle.ToString(CultureInfo.InvariantCulture)} is not valid: give a number of seconds above 0.", "Baseline");
            }
        }

        private static void ValidateEnrollment(LaptopImageRequest request)
        {
            Uri uri = request.EnrollmentUri;
            if (uri == null || !uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new LaptopImageValueException($"The enrolment address '{uri}' is not valid: give an absolute https:// address; the token must never travel unencrypted.", "EnrollmentUri");
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new LaptopImageValueException("The enrolment address holds a user name or password; give the address without them and the secret as -EnrollmentToken.", "EnrollmentUri");
            }

            string text = uri.AbsoluteUri;
            if (text.Any(c => c == '\'' || c == '"' || c == '\\' || c == '`' || c == '$' || char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new LaptopImageValueException($"The enrolment address '{text}' holds a quote, '\\', '`', '$' or a space; percent-encode them.", "EnrollmentUri");
            }

            string token = SecretText.Reveal(request.EnrollmentToken);
            if (string.IsNullOrEmpty(token) || token.Any(c => c < 0x21 || c > 0x7e))
            {
                // The token goes into an HTTP header: a space or line break would end it or add another header.
                throw new LaptopImageValueException("The enrolment token is empty or holds characters other than printable ASCII without spaces; an HTTP bearer token cannot carry them.", "EnrollmentToken");
            }
        }

        private static void ValidateDiskPassphrase(System.Security.SecureString passphrase)
        {
            if (passphrase == null)
            {
                return;
            }

            string text = SecretText.Reveal(passphrase);
            if (text.Length == 0 || text.Any(char.IsControl))
            {
                throw new LaptopImageValueException("The disk passphrase is empty or holds control characters (such as a line break), which the passphrase prompt at boot cannot take.", "DiskPassphrase");
            }
        }

        private static void ValidatePackages(LaptopBaseline baseline)
        {
            IList<string> required = baseline.RequiredPackages ?? new List<string>();
            IList<string> forbidden = baseline.ForbiddenPackages ?? new List<string>();
            foreach (string name in required.Concat(forbidden))
            {
                if (name == null || !PackageName.IsMatch(name))
                {
                    throw new LaptopImageValueException($"The package name '{name}' is not a Debian package name: lower-case letters, digits, '+', '-' and '.', at least two characters, starting with a letter or digit.", "Baseline");
                }
            }

            string both = required.Intersect(forbidden, StringComparer.Ordinal).FirstOrDefault();
            if (both != null)
            {
                throw new LaptopImageValueException($"The package '{both}' is both required and forbidden by the baseline.", "Baseline");
            }

            string needed = LaptopProvisioning.PackagesTheBaselineNeeds(baseline).Intersect(forbidden, StringComparer.Ordinal).FirstOrDefault();
            if (needed != null)
            {
                throw new LaptopImageValueException($"The package '{needed}' is forbidden by the baseline, but the image needs it for the baseline's own requirements (management SSH, enrolment, firewall, USB policy, VPN or updates).", "Baseline");
            }
        }

        private static void ValidateVpn(VpnProfileRequirement vpn)
        {
            if (vpn == null)
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(vpn.Name) || vpn.Name.Length > 100 || vpn.Name.Any(char.IsControl) || vpn.Name.Contains("/"))
            {
                throw new LaptopImageValueException($"The VPN profile name '{Printable(vpn.Name)}' is not valid: give 1 to 100 characters without line breaks, other control characters or '/'.", "Baseline");
            }

            if (!IsGateway(vpn.Gateway))
            {
                throw new LaptopImageValueException($"The VPN gateway '{Printable(vpn.Gateway)}' is not valid: give a host name or address, optionally with :port (1-65535).", "Baseline");
            }

            if (!VpnProtocols.Contains(vpn.Protocol ?? string.Empty, StringComparer.Ordinal))
            {
                throw new LaptopImageValueException($"The VPN protocol '{Printable(vpn.Protocol)}' is not valid: give one of {string.Join(", ", VpnProtocols)}.", "Baseline");
            }

            if (vpn.ServerCertificatePin != null && !CertificatePin.IsMatch(vpn.ServerCertificatePin))
            {
                throw new LaptopImageValueException($"The VPN certificate pin '{Printable(vpn.ServerCertificatePin)}' is not valid: give it as openconnect prints it, pin-sha256: followed by 44 base64 characters.", "Baseline");
            }
        }

        private static bool IsGateway(string gateway)
        {
            if (string.IsNullOrEmpty(gateway))
            {
                return false;
            }

            string host = gateway;
            int colon = gateway.LastIndexOf(':');
            if (colon > 0 && gateway.IndexOf(':') == colon)
            {
                host = gateway.Substring(0, colon);
                if (!int.TryParse(gateway.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
                {
                    return false;
                }
            }

            return HostNameSyntax.IsValid(host);
        }

        private static void ValidateUsb(UsbStorageRequirement usb)
        {
            foreach (ApprovedUsbDevice device in usb?.Allowed ?? new List<ApprovedUsbDevice>())
            {
                if (device == null || device.VendorId == null || !UsbId.IsMatch(device.VendorId) || device.ProductId == null || !UsbId.IsMatch(device.ProductId))
                {
                    throw new LaptopImageValueException($"The approved USB device '{Printable(device?.VendorId)}:{Printable(device?.ProductId)}' is not valid: give the vendor and product ids as four hex digits each, as lsusb shows them.", "Baseline");
                }

                if (device.Serial != null && !UsbSerial.IsMatch(device.Serial))
                {
                    throw new LaptopImageValueException($"The serial number '{Printable(device.Serial)}' of USB device {device.VendorId}:{device.ProductId} is not valid: give printable ASCII without quotes or '\\', not starting or ending with a space.", "Baseline");
                }

                if (device.Description != null && device.Description.Any(char.IsControl))
                {
                    throw new LaptopImageValueException($"The description '{Printable(device.Description)}' of USB device {device.VendorId}:{device.ProductId} holds a line break or another control character.", "Baseline");
                }
            }
        }

        private static void ValidateFirewall(HostFirewallRequirement firewall)
        {
            string network = firewall?.ManagementNetwork;
            if (network != null && !TryParseNetwork(network, out _, out _))
            {
                throw new LaptopImageValueException($"The management network '{Printable(network)}' is not valid: give an IPv4 or IPv6 network in CIDR form, such as 10.20.0.0/16.", "Baseline");
            }
        }

        private static void ValidateDisk(DiskEncryptionRequirement disk)
        {
            if (disk?.LuksVersion is int version && version != 1 && version != 2)
            {
                throw new LaptopImageValueException($"The LUKS version {version.ToString(CultureInfo.InvariantCulture)} is not valid: give 1 or 2.", "Baseline");
            }
        }

        /// <summary>Parses a CIDR network; true only when the address and the prefix length fit together.</summary>
        internal static bool TryParseNetwork(string text, out IPAddress address, out int prefix)
        {
            address = null;
            prefix = 0;
            int slash = text.IndexOf('/');
            if (slash <= 0 || !IPAddress.TryParse(text.Substring(0, slash), out address)
                || !int.TryParse(text.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
            {
                return false;
            }

            int bits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
            return prefix <= bits && address.ToString().IndexOf('%') < 0 && text.Substring(0, slash) == address.ToString();
        }

        /// <summary>The value with control characters shown as \uXXXX, so an error message stays one line.</summary>
        internal static string Printable(string value)
        {
            if (value == null)
            {
                return "(none)";
            }

            return string.Concat(value.Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c.ToString()));
        }
    }
}
