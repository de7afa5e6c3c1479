using System;
using System.IO;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Core.Tests.TestSupport;

namespace RemoteOps.Core.Tests.Identity
{
    /// <summary>
    /// SecurID Cloud scripted from RSA's published API shapes: an admin API key file in a temporary
    /// folder, the administration API under /AdminInterface/restapi and the Authentication API
    /// under /mfa/v1_1 of one host.
    /// </summary>
    internal sealed class ScriptedSecurId : IDisposable
    {
        internal const string Host = "sid.test";
        internal const string AdminRoot = "/AdminInterface/restapi";
        internal const string ClientKey = "Client-Key-0123456789abcdef";
        internal const string AccessId = "0a1b2c3d-access-id";
        internal const string UserId = "5e1d2c3b-0000-4000-8000-000000000001";

        private readonly TempDirectory folder = new TempDirectory();

        internal ScriptedSecurId()
        {
            Key = RSA.Create(2048);
            KeyFile = folder.File("admin-key.json");
            File.WriteAllText(KeyFile, new JObject
            {
                ["customerName"] = "Test",
                ["accessKey"] = Key.ExportPkcs8PrivateKeyPem(),
                ["adminRestApiUrl"] = $"https://{Host}{AdminRoot}/v1",
                ["accessID"] = AccessId,
            }.ToString());
            Handler = new ScriptedHttpHandler();
        }

        internal RSA Key { get; }

        internal string KeyFile { get; }

        internal ScriptedHttpHandler Handler { get; }

        internal DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        internal string Folder => folder.Path;

        internal static JObject User(string email, bool enabled = true, bool tokenLocked = false) => new JObject
        {
            ["id"] = UserId,
            ["emailAddress"] = email,
            ["userStatus"] = enabled ? "Enabled" : "Disabled",
            ["isTokenLocked"] = tokenLocked,
            ["isSmsLocked"] = false,
        };

        internal SecurIdOptions Options(string deployment = "Cloud") => new SecurIdOptions
        {
            Deployment = deployment,
            AddressAsTyped = Host,
            AdminApiKeyFile = deployment == "Cloud" ? KeyFile : null,
            AuthApiUrl = $"https://{Host}/mfa/v1_1",
            Password = Secrets.Secure(ClientKey),
            Retry = TestRetryPolicies.Fast,
            Handler = Handler,
            Clock = () => Now,
        };

        internal Task<SecurIdAppliance> OpenAsync(SecurIdOptions options = null)
            => SecurIdAppliance.OpenAsync(options ?? Options(), CancellationToken.None);

        /// <summary>The claims of a JWT after checking its RS256 signature with <see cref="Key"/>.</summary>
        internal JObject VerifiedClaims(string jwt) => VerifiedClaims(jwt, Key);

        internal static JObject VerifiedClaims(string jwt, RSA key)
        {
            string[] parts = jwt.Split('.');
            bool valid = key.VerifyData(System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Jwt.FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            if (!valid)
            {
                throw new InvalidOperationException("The JWT's signature does not verify.");
            }

            return JObject.Parse(System.Text.Encoding.UTF8.GetString(Jwt.FromBase64Url(parts[1])));
        }

        internal static JObject Header(string jwt) => JObject.Parse(System.Text.Encoding.UTF8.GetString(Jwt.FromBase64Url(jwt.Split('.')[0])));

        public void Dispose()
        {
            Key.Dispose();
            folder.Dispose();
        }
    }
}
