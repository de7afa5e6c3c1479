using System;
using System.Text.RegularExpressions;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// Where the driver sends what, worked out from -Address and the settings before anything
    /// is sent, with the administration sign-in read from its key file.
    /// </summary>
    internal sealed class SecurIdEndpoints
    {
        /// <summary>The Authentication API's default port on Authentication Manager (Security Console &gt; System Settings, RSA community ka4PO0000001WPFYA2).</summary>
        internal const int AuthenticationManagerPort = 5555;

        /// <summary>The Authentication API's path (RSA's published API definition, v1.0.2).</summary>
        internal const string AuthApiPath = "/mfa/v1_1";

        /// <summary>The Cloud Administration API's path (pydplus constants; RSA community ka4PO00000030czYAA).</summary>
        internal const string AdminApiPath = "/AdminInterface/restapi";

        private SecurIdEndpoints(Uri primary, Uri authApi, SecurIdAdminLogin adminLogin)
        {
            Primary = primary;
            AuthApi = authApi;
            AdminLogin = adminLogin;
        }

        /// <summary>Cloud: the administration API root; AM: the Authentication API. Ends in '/'.</summary>
        internal Uri Primary { get; }

        /// <summary>The Authentication API base, ending in '/', or null when none is configured.</summary>
        internal Uri AuthApi { get; }

        /// <summary>The administration sign-in, or null on Authentication Manager.</summary>
        internal SecurIdAdminLogin AdminLogin { get; }

        internal static SecurIdEndpoints Resolve(SecurIdOptions options)
        {
            Uri address = Parse(options.AddressAsTyped ?? options.BaseAddress?.AbsoluteUri);
            if (options.AssurancePolicyId != null && options.AssuranceLevel != null)
            {
                throw new ArgumentException("Give AssurancePolicyId or AssuranceLevel, not both.");
            }

            if (options.DeploymentKind == SecurIdDeployment.AuthenticationManager)
            {
                if (options.AdminApiKeyFile != null || options.OAuthClientId != null)
                {
                    throw new ArgumentException(SecurIdAppliance.AdministrationNotOnAuthenticationManager + " Leave out AdminApiKeyFile and OAuthClientId.");
                }

                Uri auth = options.AuthApiUrl != null ? Slash(options.AuthApiUrl) : AuthenticationManagerDefault(options.AddressAsTyped, address);
                return new SecurIdEndpoints(auth, auth, null);
            }

            SecurIdAdminLogin login;
            if (options.AdminApiKeyFile != null && options.OAuthClientId != null)
            {
                throw new ArgumentException("Give AdminApiKeyFile (admin API key) or OAuthClientId (OAuth client), not both.");
            }

            if (options.AdminApiKeyFile != null)
            {
                login = SecurIdAdminLogin.WithApiKey(SecurIdAdminApiKey.Load(options.AdminApiKeyFile), options.Clock, options.RefreshMargin);
            }
            else if (options.OAuthClientId != null)
            {
                if (options.OAuthKeyFile == null || options.OAuthTokenUrl == null)
                {
                    throw new ArgumentException("An OAuth client needs OAuthKeyFile (its private key) and OAuthTokenUrl (e.g. https://company.auth.securid.com/oauth/token).");
                }

                if (!System.IO.File.Exists(options.OAuthKeyFile))
                {
                    throw new ArgumentException($"The OAuth key file '{options.OAuthKeyFile}' does not exist.");
                }

                var key = RsaPrivateKeyPem.Read(System.IO.File.ReadAllText(options.OAuthKeyFile), $"The OAuth key file '{options.OAuthKeyFile}'");
                login = SecurIdAdminLogin.WithOAuthClient(options.OAuthClientId, key, options.OAuthKeyId, options.OAuthTokenUrl, options.OAuthScopes, options.Clock, options.RefreshMargin);
            }
            else
            {
                throw new ArgumentException("The SecurID Cloud Administration API needs AdminApiKeyFile (an admin API key file) or OAuthClientId with OAuthKeyFile and OAuthTokenUrl; with -Option @{ Deployment = 'AuthenticationManager' } only codes can be tested.");
            }

            return new SecurIdEndpoints(AdminRoot(address), options.AuthApiUrl == null ? null : Slash(options.AuthApiUrl), login);
        }

        /// <summary>https://host[:port]/AdminInterface/restapi/ from a host name or any URL under the API (a key file's URL ends in /v1).</summary>
        internal static Uri AdminRoot(Uri address)
        {
            string path = address.AbsolutePath.TrimEnd('/');
            path = Regex.Replace(path, "/v[0-9]+$", string.Empty);
            if (path.Length == 0)
            {
                path = AdminApiPath;
            }

            return new Uri(address.GetLeftPart(UriPartial.Authority) + path + "/");
        }

        private static Uri AuthenticationManagerDefault(string typed, Uri address)
        {
            // A port typed with the address is kept; otherwise the API's default port.
            bool portTyped = Regex.IsMatch(typed ?? string.Empty, @"^(?:https://)?(?:\[[^\]]+\]|[^/:]+):[0-9]+", RegexOptions.IgnoreCase);
            var builder = new UriBuilder(address) { Path = AuthApiPath + "/", Query = string.Empty };
            if (!portTyped)
            {
                builder.Port = AuthenticationManagerPort;
            }

            return builder.Uri;
        }

        private static Uri Slash(string url) => new Uri(url.TrimEnd('/') + "/");

        private static Uri Parse(string typed)
        {
            string text = typed ?? string.Empty;
            if (!Uri.TryCreate(text.Contains("://") ? text : "https://" + text, UriKind.Absolute, out Uri uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host)
                || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new ArgumentException($"'{typed}' is not an https:// address or host name; SecurID is reached over HTTPS only.");
            }

            return uri;
        }
    }
}
