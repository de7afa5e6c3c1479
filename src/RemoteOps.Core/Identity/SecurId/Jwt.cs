using System;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>Compact RS256 JSON Web Tokens (RFC 7515/7519), signed with RSA PKCS#1 v1.5 and SHA-256.</summary>
    internal static class Jwt
    {
        /// <summary>header.claims.signature, base64url without padding.</summary>
        internal static string SignRs256(JObject claims, RSAParameters key, string keyId = null)
        {
            var header = new JObject { ["typ"] = "JWT", ["alg"] = "RS256" };
            if (!string.IsNullOrEmpty(keyId))
            {
                header["kid"] = keyId;
            }

            string signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToString(Formatting.None))) + "."
                + Base64Url(Encoding.UTF8.GetBytes(claims.ToString(Formatting.None)));
            using (RSA rsa = RSA.Create())
            {
                rsa.ImportParameters(key);
                byte[] signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return signingInput + "." + Base64Url(signature);
            }
        }

        /// <summary>Seconds since the Unix epoch, as JWT claims count time.</summary>
        internal static long UnixSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

        internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        internal static byte[] FromBase64Url(string text)
        {
            string padded = text.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
        }
    }
}
