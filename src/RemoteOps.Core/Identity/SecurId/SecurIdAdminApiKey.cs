using System;
using System.IO;
using System.Security.Cryptography;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// The legacy Cloud Administration API key file: JSON {customerName, accessKey (PEM RSA
    /// private key), adminRestApiUrl, description, accessID} ("Manage the Cloud Administration
    /// API keys", RSA community article ka4PO00000030czYAA). Its text is never kept or shown.
    /// </summary>
    internal sealed class SecurIdAdminApiKey
    {
        private SecurIdAdminApiKey(string accessId, Uri adminRestApiUrl, RSAParameters key)
        {
            AccessId = accessId;
            AdminRestApiUrl = adminRestApiUrl;
            Key = key;
        }

        /// <summary>The JWT subject.</summary>
        internal string AccessId { get; }

        /// <summary>The JWT audience and, without a trailing /v1, the API root.</summary>
        internal Uri AdminRestApiUrl { get; }

        internal RSAParameters Key { get; }

        /// <summary>Reads and checks the file; a problem is an ArgumentException naming the file and the field, never its content.</summary>
        internal static SecurIdAdminApiKey Load(string path)
        {
            string what = $"The admin API key file '{path}'";
            if (!File.Exists(path))
            {
                throw new ArgumentException($"{what} does not exist.");
            }

            JObject json;
            try
            {
                json = JToken.Parse(File.ReadAllText(path)) as JObject;
            }
            catch (JsonException)
            {
                json = null;
            }

            if (json == null)
            {
                throw new ArgumentException($"{what} is not a JSON object; download the key file again from the Cloud Administration Console.");
            }

            string accessId = (string)json["accessID"];
            if (string.IsNullOrWhiteSpace(accessId))
            {
                throw new ArgumentException($"{what} has no accessID.");
            }

            string url = (string)json["adminRestApiUrl"];
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri admin) || admin.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"{what} has no https:// adminRestApiUrl.");
            }

            RSAParameters key = RsaPrivateKeyPem.Read((string)json["accessKey"], what + " (accessKey)");
            return new SecurIdAdminApiKey(accessId, admin, key);
        }
    }
}
