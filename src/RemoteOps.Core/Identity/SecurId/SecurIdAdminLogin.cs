using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// The bearer token of the Cloud Administration REST API, by either route RSA documents
    /// ("Authentication for the Cloud Administration APIs", RSA community ta-p/623068):
    /// a legacy admin API key, with which the client signs its own RS256 JWT (sub = access id,
    /// aud = the key's adminRestApiUrl, exp at most an hour after iat), or an OAuth client
    /// (private_key_jwt client credentials at the token endpoint). A token is reused until
    /// shortly before it expires; the service says an expired one only with a 403, so it is
    /// replaced early instead of waiting for a refusal.
    /// </summary>
    internal sealed class SecurIdAdminLogin
    {
        /// <summary>The life of a self-signed admin JWT: under the hour RSA allows, as RSA's own sample client does (58 min).</summary>
        internal static readonly TimeSpan AdminJwtLife = TimeSpan.FromMinutes(58);

        /// <summary>The life of a client assertion for the token endpoint.</summary>
        internal static readonly TimeSpan AssertionLife = TimeSpan.FromMinutes(5);

        private readonly SecurIdAdminApiKey apiKey;
        private readonly string clientId;
        private readonly RSAParameters clientKey;
        private readonly string keyId;
        private readonly string tokenUrl;
        private readonly string[] scopes;
        private readonly Func<DateTimeOffset> clock;
        private readonly TimeSpan refreshMargin;
        private readonly object gate = new object();
        private AuthenticationHeaderValue current;
        private DateTimeOffset expires;

        private SecurIdAdminLogin(SecurIdAdminApiKey apiKey, string clientId, RSAParameters clientKey, string keyId, string tokenUrl, string[] scopes, Func<DateTimeOffset> clock, TimeSpan refreshMargin)
        {
            this.apiKey = apiKey;
            this.clientId = clientId;
            this.clientKey = clientKey;
            this.keyId = keyId;
            this.tokenUrl = tokenUrl;
            this.scopes = scopes ?? new string[0];
            this.clock = clock ?? (() => DateTimeOffset.UtcNow);
            this.refreshMargin = refreshMargin;
        }

        /// <summary>Which route this is, for messages.</summary>
        internal string Route => apiKey != null ? "admin API key" : "OAuth client";

        /// <summary>Signs with a legacy admin API key.</summary>
        internal static SecurIdAdminLogin WithApiKey(SecurIdAdminApiKey key, Func<DateTimeOffset> clock, TimeSpan refreshMargin)
            => new SecurIdAdminLogin(key, null, default, null, null, null, clock, refreshMargin);

        /// <summary>Gets tokens for an OAuth client.</summary>
        internal static SecurIdAdminLogin WithOAuthClient(string clientId, RSAParameters key, string keyId, string tokenUrl, string[] scopes, Func<DateTimeOffset> clock, TimeSpan refreshMargin)
            => new SecurIdAdminLogin(null, clientId, key, keyId, tokenUrl, scopes, clock, refreshMargin);

        /// <summary>True when there is no token, or it is within the refresh margin of expiring.</summary>
        internal bool NeedsRefresh
        {
            get
            {
                lock (gate)
                {
                    return current == null || clock() >= expires - refreshMargin;
                }
            }
        }

        /// <summary>Forgets the token, so that the next login makes a new one.</summary>
        internal void Invalidate()
        {
            lock (gate)
            {
                current = null;
            }
        }

        /// <summary>The login function of the REST client: the cached token while fresh, else a new one.</summary>
        internal async Task<AuthenticationHeaderValue> LoginAsync(RestClient client, CancellationToken cancellationToken)
        {
            if (!NeedsRefresh)
            {
                lock (gate)
                {
                    return current;
                }
            }

            DateTimeOffset now = clock();
            string token;
            DateTimeOffset until;
            if (apiKey != null)
            {
                until = now + AdminJwtLife;
                token = AdminJwt(apiKey, now, until);
            }
            else
            {
                (token, until) = await RequestTokenAsync(client, now, cancellationToken).ConfigureAwait(false);
            }

            client.AddSecret(token);
            var header = new AuthenticationHeaderValue("Bearer", token);
            lock (gate)
            {
                current = header;
                expires = until;
            }

            return header;
        }

        /// <summary>The self-signed admin JWT of a legacy key.</summary>
        internal static string AdminJwt(SecurIdAdminApiKey key, DateTimeOffset issued, DateTimeOffset expiry)
        {
            var claims = new JObject
            {
                ["sub"] = key.AccessId,
                ["aud"] = key.AdminRestApiUrl.OriginalString,
                ["iat"] = Jwt.UnixSeconds(issued),
                ["exp"] = Jwt.UnixSeconds(expiry),

                // Not required (other claims are ignored), but it makes every token unique, so a
                // replacement after a refusal is never the refused token again.
                ["jti"] = Guid.NewGuid().ToString("N"),
            };
            return Jwt.SignRs256(claims, key.Key);
        }

        /// <summary>The private_key_jwt client assertion (RFC 7523): iss = sub = client id, aud = the token URL.</summary>
        internal static string ClientAssertion(string clientId, RSAParameters key, string keyId, string tokenUrl, DateTimeOffset issued)
        {
            var claims = new JObject
            {
                ["iss"] = clientId,
                ["sub"] = clientId,
                ["aud"] = tokenUrl,
                ["iat"] = Jwt.UnixSeconds(issued),
                ["exp"] = Jwt.UnixSeconds(issued + AssertionLife),
                ["jti"] = Guid.NewGuid().ToString("N"),
            };
            return Jwt.SignRs256(claims, key, keyId);
        }

        private async Task<(string token, DateTimeOffset until)> RequestTokenAsync(RestClient client, DateTimeOffset now, CancellationToken cancellationToken)
        {
            string assertion = ClientAssertion(clientId, clientKey, keyId, tokenUrl, now);
            var form = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("grant_type", "client_credentials"),
                new KeyValuePair<string, string>("client_id", clientId),
                new KeyValuePair<string, string>("scope", string.Join(" ", scopes)),
                new KeyValuePair<string, string>("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                new KeyValuePair<string, string>("client_assertion", assertion),
            };
            RestResponse response = await client.SendFormRawAsync(tokenUrl, form, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                JToken json = response.Json;
                string reason = json == null ? null : string.Join(": ", new[] { (string)json["error"], (string)json["error_description"] }).Trim(' ', ':');
                ApplianceErrorKind kind = response.Code == 429 || response.Code >= 500 ? ApplianceErrorKind.Busy : ApplianceErrorKind.AuthenticationFailed;
                throw new ApplianceException(kind,
                    $"The OAuth token endpoint {tokenUrl} refused client '{clientId}' (HTTP {response.Code}{(string.IsNullOrEmpty(reason) ? string.Empty : ": " + Audit.AuditLog.Redact(reason, new[] { assertion }))}).",
                    "Check the client id, that its registered public key matches OAuthKeyFile (and OAuthKeyId), and that the client may have the scopes asked for.");
            }

            string token = (string)response.Json?["access_token"];
            if (string.IsNullOrEmpty(token))
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"The OAuth token endpoint {tokenUrl} answered without an access_token.");
            }

            // expires_in may be missing (then an hour, as public clients assume) or a string.
            JToken life = response.Json["expires_in"];
            int seconds = life != null && int.TryParse(life.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed > 0 ? parsed : 3600;
            return (token, now + TimeSpan.FromSeconds(seconds));
        }
    }
}
