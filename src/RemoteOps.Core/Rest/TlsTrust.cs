using System;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Rest
{
    /// <summary>
    /// How an appliance's TLS certificate is trusted: by the normal chain validation, or by a
    /// pin (certificate thumbprint or SPKI hash) for a self-signed appliance. There is no
    /// "skip validation": an unknown certificate is always refused.
    /// </summary>
    public sealed class TlsTrust
    {
        private readonly string thumbprint;
        private readonly string spkiSha256;

        private TlsTrust(string thumbprint, string spkiSha256)
        {
            this.thumbprint = thumbprint;
            this.spkiSha256 = spkiSha256;
        }

        /// <summary>Trust what the operating system's certificate store trusts, for the right host name.</summary>
        public static TlsTrust SystemValidation { get; } = new TlsTrust(null, null);

        /// <summary>Trust exactly one certificate, by its SHA-256 (64 hex) or SHA-1 (40 hex) thumbprint.</summary>
        public static TlsTrust PinCertificate(string thumbprintHex)
        {
            string normalized = (thumbprintHex ?? string.Empty).Replace(":", string.Empty).Replace(" ", string.Empty).ToUpperInvariant();
            if (!Regex.IsMatch(normalized, "^([0-9A-F]{40}|[0-9A-F]{64})$"))
            {
                throw new ArgumentException($"'{thumbprintHex}' is not a certificate thumbprint: give 64 hex digits (SHA-256) or 40 (SHA-1), colons allowed.");
            }

            return new TlsTrust(normalized, null);
        }

        /// <summary>Trust any certificate whose public key has this SHA-256 SPKI hash (base64, as in HPKP and openconnect's pin-sha256:).</summary>
        public static TlsTrust PinPublicKey(string spkiSha256Base64)
        {
            string value = (spkiSha256Base64 ?? string.Empty).Trim();
            if (value.StartsWith("pin-sha256:", StringComparison.OrdinalIgnoreCase))
            {
                value = value.Substring("pin-sha256:".Length);
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(value);
            }
            catch (FormatException)
            {
                bytes = null;
            }

            if (bytes == null || bytes.Length != 32)
            {
                throw new ArgumentException($"'{spkiSha256Base64}' is not an SPKI pin: give the base64 SHA-256 of the certificate's public key (44 characters), optionally prefixed pin-sha256:.");
            }

            return new TlsTrust(null, value);
        }

        /// <summary>True when a pin is set.</summary>
        public bool IsPinned => thumbprint != null || spkiSha256 != null;

        /// <summary>The pin in words, for messages.</summary>
        public override string ToString() => thumbprint != null ? $"certificate thumbprint {thumbprint}" : spkiSha256 != null ? $"public key pin-sha256:{spkiSha256}" : "system certificate validation";

        /// <summary>Decides about a presented certificate; <paramref name="presented"/> describes it for an error message.</summary>
        public bool Accepts(X509Certificate2 certificate, SslPolicyErrors errors, out string presented)
        {
            presented = null;
            if (certificate == null)
            {
                presented = "no certificate";
                return false;
            }

            string sha256 = Hex(Sha256(certificate.RawData));
            string spki = Convert.ToBase64String(Sha256(SubjectPublicKeyInfo.Extract(certificate.RawData)));
            presented = $"certificate '{certificate.Subject}', SHA-256 thumbprint {sha256}, pin-sha256:{spki}";
            if (thumbprint != null)
            {
                return thumbprint.Length == 64 ? thumbprint == sha256 : thumbprint == certificate.Thumbprint.ToUpperInvariant();
            }

            if (spkiSha256 != null)
            {
                return spkiSha256 == spki;
            }

            presented += $" ({errors})";
            return errors == SslPolicyErrors.None;
        }

        private static byte[] Sha256(byte[] data)
        {
            using (var sha = SHA256.Create())
            {
                return sha.ComputeHash(data);
            }
        }

        private static string Hex(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", string.Empty);
    }
}
