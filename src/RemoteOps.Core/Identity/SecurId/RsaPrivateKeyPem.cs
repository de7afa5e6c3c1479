using System;
using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// Reads an RSA private key in PEM (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"),
    /// which netstandard2.0 cannot import by itself. Messages name the problem, never the key.
    /// </summary>
    internal static class RsaPrivateKeyPem
    {
        private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

        private static readonly Regex Block = new Regex(
            @"-----BEGIN (?<label>RSA PRIVATE KEY|PRIVATE KEY)-----(?<body>[A-Za-z0-9+/=\s\\n]+?)-----END \k<label>-----",
            RegexOptions.CultureInvariant);

        /// <summary>The key as RSA parameters.</summary>
        /// <param name="pem">The PEM text (escaped "\n" as found in JSON-pasted keys is accepted).</param>
        /// <param name="what">What the key is, for messages ("the admin API key file").</param>
        /// <exception cref="ArgumentException">It is not an unencrypted RSA private key.</exception>
        internal static RSAParameters Read(string pem, string what)
        {
            Match match = Block.Match(pem ?? string.Empty);
            if (!match.Success)
            {
                throw new ArgumentException($"{what} holds no unencrypted RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).");
            }

            byte[] der;
            try
            {
                der = Convert.FromBase64String(Regex.Replace(match.Groups["body"].Value.Replace("\\n", string.Empty), @"\s", string.Empty));
            }
            catch (FormatException)
            {
                throw new ArgumentException($"{what}: the private key is not valid base64.");
            }

            try
            {
                return match.Groups["label"].Value == "PRIVATE KEY" ? FromPkcs8(der, what) : FromPkcs1(der);
            }
            catch (AsnContentException)
            {
                throw new ArgumentException($"{what}: the private key is not a valid RSA key structure.");
            }
        }

        private static RSAParameters FromPkcs8(byte[] der, string what)
        {
            AsnReader info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            info.ReadInteger(); // version
            AsnReader algorithm = info.ReadSequence();
            if (algorithm.ReadObjectIdentifier() != RsaEncryptionOid)
            {
                throw new ArgumentException($"{what}: the private key is not an RSA key (RS256 needs RSA).");
            }

            return FromPkcs1(info.ReadOctetString());
        }

        private static RSAParameters FromPkcs1(byte[] der)
        {
            AsnReader key = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            key.ReadInteger(); // version
            byte[] modulus = Unsigned(key.ReadInteger(), 0);
            int half = (modulus.Length + 1) / 2;
            byte[] exponent = Unsigned(key.ReadInteger(), 0);

            // Windows CNG wants D as long as the modulus and the CRT values half of it.
            return new RSAParameters
            {
                Modulus = modulus,
                Exponent = exponent,
                D = Unsigned(key.ReadInteger(), modulus.Length),
                P = Unsigned(key.ReadInteger(), half),
                Q = Unsigned(key.ReadInteger(), half),
                DP = Unsigned(key.ReadInteger(), half),
                DQ = Unsigned(key.ReadInteger(), half),
                InverseQ = Unsigned(key.ReadInteger(), half),
            };
        }

        // Big-endian, without the sign byte, left-padded with zeros to length (0: as short as possible).
        private static byte[] Unsigned(BigInteger value, int length)
        {
            byte[] little = value.ToByteArray();
            int size = little.Length;
            while (size > 1 && little[size - 1] == 0)
            {
                size--;
            }

            int target = Math.Max(size, length);
            var big = new byte[target];
            for (int i = 0; i < size; i++)
            {
                big[target - 1 - i] = little[i];
            }

            return big;
        }
    }
}
