using System;
using System.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// How to reach RSA SecurID: the REST basics (address, certificate trust, proxy, time-out;
    /// the -Credential password is the Authentication API client key) plus how the
    /// administration API is signed in to. Values are checked when set; files are read when
    /// connecting, before anything is sent.
    /// </summary>
    public sealed class SecurIdOptions : RestConnectionOptions
    {
        /// <summary>The assurance levels the Authentication API takes.</summary>
        public static readonly string[] AssuranceLevels = { "LOW", "MEDIUM", "HIGH" };

        private string deployment = nameof(SecurIdDeployment.Cloud);
        private string assuranceLevel;
        private string adminApiKeyFile;
        private string oauthKeyFile;
        private string authApiUrl;
        private string oauthTokenUrl;
        private int authAttemptTimeoutSec = 60;

        /// <summary>Cloud or AuthenticationManager.</summary>
        [DriverSetting("Cloud (Cloud Authentication Service; default) or AuthenticationManager (on-premises AM 8.x: code tests only, it has no REST administration API).")]
        public string Deployment
        {
            get => deployment;
            set
            {
                if (!Enum.TryParse(value, true, out SecurIdDeployment parsed) || !Enum.IsDefined(typeof(SecurIdDeployment), parsed) || value.Trim().All(char.IsDigit))
                {
                    throw new ArgumentException($"'{value}' is not a SecurID deployment: use Cloud or AuthenticationManager.");
                }

                deployment = parsed.ToString();
            }
        }

        /// <summary>The deployment as a value.</summary>
        public SecurIdDeployment DeploymentKind => (SecurIdDeployment)Enum.Parse(typeof(SecurIdDeployment), deployment);

        /// <summary>Full path of the legacy admin API key file (JSON with accessID, accessKey, adminRestApiUrl).</summary>
        [DriverSetting("Full path of the Cloud Administration API key file downloaded from the console (JSON: accessID, accessKey, adminRestApiUrl). The client signs its own short-lived JWT with it.")]
        public string AdminApiKeyFile
        {
            get => adminApiKeyFile;
            set => adminApiKeyFile = FullPath(value, nameof(AdminApiKeyFile));
        }

        /// <summary>The OAuth client id (private_key_jwt client credentials).</summary>
        [DriverSetting("OAuth client id of the administration API client (private_key_jwt client credentials, the route RSA recommends).")]
        public string OAuthClientId { get; set; }

        /// <summary>Full path of the OAuth client's RSA private key (PEM).</summary>
        [DriverSetting("Full path of the OAuth client's RSA private key in PEM form (PKCS#8 or PKCS#1).")]
        public string OAuthKeyFile
        {
            get => oauthKeyFile;
            set => oauthKeyFile = FullPath(value, nameof(OAuthKeyFile));
        }

        /// <summary>The key id (kid) registered with the OAuth client's public key, if any.</summary>
        [DriverSetting("Key id (kid) of the OAuth client's public key, sent in the assertion header when given.")]
        public string OAuthKeyId { get; set; }

        /// <summary>The token endpoint, e.g. https://tenant.auth.securid.com/oauth/token.</summary>
        [DriverSetting("The OAuth token endpoint, e.g. https://company.auth.securid.com/oauth/token.")]
        public string OAuthTokenUrl
        {
            get => oauthTokenUrl;
            set => oauthTokenUrl = HttpsUrl(value, nameof(OAuthTokenUrl));
        }

        /// <summary>Scopes asked for with the OAuth client.</summary>
        [DriverSetting("OAuth scopes to ask for; by default those the SecurID cmdlets use.")]
        public string[] OAuthScopes { get; set; } =
        {
            "rsa.user.read", "rsa.user.manage", "rsa.user.factor.manage", "rsa.authenticator.mobile.read",
            "rsa.authenticator.sidtoken.read", "rsa.authenticator.emergency.manage",
        };

        /// <summary>The Authentication API base, e.g. https://tenant.auth.securid.com/mfa/v1_1.</summary>
        [DriverSetting("The Authentication API base URL, e.g. https://company.auth.securid.com/mfa/v1_1 (Cloud) or https://am.example.com:5555/mfa/v1_1 (AM; the default there).")]
        public string AuthApiUrl
        {
            get => authApiUrl;
            set => authApiUrl = HttpsUrl(value, nameof(AuthApiUrl));
        }

        /// <summary>The client id sent to the Authentication API (the AM authentication agent name).</summary>
        [DriverSetting("The client id sent with code tests (on AM the name of the authentication agent registered for the API).")]
        public string AuthClientId { get; set; }

        /// <summary>The assurance policy id of code tests (instead of a level).</summary>
        [DriverSetting("Assurance policy id for code tests (give this or AssuranceLevel, not both).")]
        public string AssurancePolicyId { get; set; }

        /// <summary>LOW, MEDIUM or HIGH; the default when no policy id is given is MEDIUM.</summary>
        [DriverSetting("Assurance level for code tests: LOW, MEDIUM or HIGH (default MEDIUM when no AssurancePolicyId is given).")]
        public string AssuranceLevel
        {
            get => assuranceLevel;
            set
            {
                string upper = value?.Trim().ToUpperInvariant();
                if (!AssuranceLevels.Contains(upper))
                {
                    throw new ArgumentException($"'{value}' is not an assurance level: use {string.Join(", ", AssuranceLevels)}.");
                }

                assuranceLevel = upper;
            }
        }

        /// <summary>Seconds an authentication attempt of a code test may stay open on the service.</summary>
        [DriverSetting("Seconds a code test's authentication attempt stays open on the service (10..600, default 60).")]
        public int AuthAttemptTimeoutSec
        {
            get => authAttemptTimeoutSec;
            set
            {
                if (value < 10 || value > 600)
                {
                    throw new ArgumentException($"{value} is out of range: give 10 to 600 seconds.");
                }

                authAttemptTimeoutSec = value;
            }
        }

        /// <summary>-Address as the user typed it (a host name, or a URL with the API path).</summary>
        internal string AddressAsTyped { get; set; }

        /// <summary>How long before expiry a token is replaced (tests shorten token lives).</summary>
        internal TimeSpan RefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Clock for token times (tests move it).</summary>
        internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        private static string FullPath(string value, string setting)
        {
            if (value == null)
            {
                return null;
            }

            if (string.IsNullOrWhiteSpace(value) || !System.IO.Path.IsPathRooted(value))
            {
                throw new ArgumentException($"'{value}' is not a full path; give {setting} as a full path, e.g. (Resolve-Path ./key.json).Path.");
            }

            return value;
        }

        private static string HttpsUrl(string value, string setting)
        {
            if (value == null)
            {
                return null;
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new ArgumentException($"'{value}' is not an https:// URL without query or user name; {setting} must be one.");
            }

            return uri.AbsoluteUri.TrimEnd('/');
        }
    }
}
