using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// RSA SecurID: the Cloud Administration REST API (users, locks, tokens and devices,
    /// emergency access codes) and the Authentication API (a code test). On-premises
    /// Authentication Manager 8.x has only the Authentication API, so administration is refused
    /// there. Every endpoint cites RSA's public article for it; docs/drivers.md lists them.
    /// </summary>
    public sealed class SecurIdAppliance : RestApplianceBase, ISecondFactorDirectory
    {
        /// <summary>The name the driver is registered under.</summary>
        public const string DriverName = "SecurId";

        /// <summary>What the driver can do (a connection declares what its deployment and settings allow).</summary>
        public const ApplianceCapabilities DriverCapabilities = ApplianceCapabilities.SecondFactorUsers | ApplianceCapabilities.SecondFactorCodeTest;

        /// <summary>Why administration is refused on Authentication Manager.</summary>
        public const string AdministrationNotOnAuthenticationManager =
            "RSA Authentication Manager 8.x has no REST administration API: its REST interface (port 5555) is the Authentication API, which can only test codes. "
            + "Look up, enable, disable, unlock users and issue emergency codes in the Security Console, or through Authentication Manager's Java Admin API.";

        /// <summary>The methods the unlock call takes (PATCH v1/users/{id}/methods, RSA community ta-p/623079).</summary>
        public static readonly string[] UnlockableMethods = { "TOKEN", "SMS", "VOICE" };

        private static readonly HttpMethod Patch = new HttpMethod("PATCH");
        private static readonly Regex UserId = new Regex("^[A-Za-z0-9-]{1,64}$", RegexOptions.CultureInvariant);

        private readonly SecurIdOptions options;
        private readonly SecurIdAdminLogin adminLogin;
        private readonly RestClient authClient;
        private readonly bool ownsAuthClient;

        private SecurIdAppliance(SecurIdOptions options, SecurIdAdminLogin adminLogin, Uri authApi)
            : base(DriverName, options.DeploymentKind == SecurIdDeployment.Cloud ? "the SecurID Cloud Administration API" : "the SecurID Authentication API",
                  options, SecurIdErrorParser.Instance, adminLogin == null ? null : (Func<RestClient, CancellationToken, Task<System.Net.Http.Headers.AuthenticationHeaderValue>>)adminLogin.LoginAsync)
        {
            this.options = options;
            this.adminLogin = adminLogin;
            if (authApi != null && adminLogin == null)
            {
                authClient = Client;
            }
            else if (authApi != null)
            {
                authClient = new RestClient(authApi, options.Trust, options.Retry, options.RequestTimeout, null, options.Handler, options.MaxConnections, SecurIdErrorParser.Instance, options.Proxy);
                ownsAuthClient = true;
            }

            string clientKey = SecretText.Reveal(options.Password);
            if (authClient != null && !string.IsNullOrEmpty(clientKey))
            {
                // The Authentication API key travels in a header of its own (client-key), never in a URL.
                authClient.AddDefaultHeader("client-key", clientKey);
            }

            Info.Version = options.DeploymentKind == SecurIdDeployment.Cloud ? "SecurID Cloud Authentication Service" : "RSA Authentication Manager 8.x (Authentication API only)";
            Info.Name = Info.Address;
        }

        /// <inheritdoc />
        public override ApplianceCapabilities Capabilities =>
            (adminLogin != null ? ApplianceCapabilities.SecondFactorUsers : ApplianceCapabilities.None)
            | (authClient != null ? ApplianceCapabilities.SecondFactorCodeTest : ApplianceCapabilities.None);

        /// <summary>The deployment connected to.</summary>
        public SecurIdDeployment Deployment => options.DeploymentKind;

        /// <summary>The host of the Authentication API, or null when none is configured.</summary>
        internal string AuthAddress => authClient?.BaseAddress.Authority;

        /// <summary>Checks the settings and files, builds the clients, and for an OAuth client gets the first token.</summary>
        public static async Task<SecurIdAppliance> OpenAsync(SecurIdOptions options, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            SecurIdEndpoints endpoints = SecurIdEndpoints.Resolve(options);
            options.BaseAddress = endpoints.Primary;
            if (endpoints.AuthApi != null && options.Password == null)
            {
                throw new ArgumentException("The Authentication API needs its client key (access key) as the password of -Credential.");
            }

            SecurIdAdminLogin login = endpoints.AdminLogin;
            var appliance = new SecurIdAppliance(options, login, endpoints.AuthApi);
            return await OpenAsync(appliance, async driver =>
            {
                if (login != null)
                {
                    // Signs the first JWT, or gets the first OAuth token: a refused client fails here, not at the first cmdlet.
                    await driver.Client.EnsureLoggedInAsync(cancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }

        /// <inheritdoc />
        public async Task<SecondFactorUser> GetSecondFactorUserAsync(string userName, CancellationToken cancellationToken)
            => (await GetUserAsync(userName, cancellationToken).ConfigureAwait(false)).ToSecondFactorUser();

        /// <summary>The user with status, locks, tokens and devices.</summary>
        public async Task<SecurIdUser> GetUserAsync(string userName, CancellationToken cancellationToken)
        {
            JObject user = await LookupAsync(userName, cancellationToken).ConfigureAwait(false);
            string id = IdOf(user, userName);

            // v2 adds hardware tokens to the list (RSA community ta-p/629247); browsers are left out by default there.
            RestResponse devices = await AdminAsync(HttpMethod.Get, $"v2/users/{id}/devices", null, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(devices, $"Reading the devices of '{userName}'");
            return ToUser(userName, user, devices.Json as JObject);
        }

        /// <summary>Enables or disables a user (PUT v1/users/{id}/userStatus, RSA community article 0f6807d1); nothing is sent when it is already so.</summary>
        public async Task<SecurIdUserChange> SetUserEnabledAsync(string userName, bool enabled, CancellationToken cancellationToken)
        {
            string wanted = enabled ? "Enabled" : "Disabled";
            JObject user = await LookupAsync(userName, cancellationToken).ConfigureAwait(false);
            var change = new SecurIdUserChange { UserName = userName, Appliance = Info.Address, Action = enabled ? "Enable" : "Disable" };
            if (string.Equals((string)user["userStatus"], wanted, StringComparison.OrdinalIgnoreCase))
            {
                change.Outcome = "NoChange";
                change.Detail = $"already {wanted}";
                return change;
            }

            string id = IdOf(user, userName);
            RestResponse response = await AdminAsync(HttpMethod.Put, $"v1/users/{id}/userStatus", new JObject { ["userStatus"] = wanted }, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, $"Setting the status of '{userName}' to {wanted}");
            change.Outcome = "Changed";
            change.Detail = "status " + ((string)response.Json?["userStatus"] ?? wanted);
            return change;
        }

        /// <summary>Unlocks methods (PATCH v1/users/{id}/methods {"unlockMethods"}, RSA community ta-p/623079); nothing is sent when none of them is locked.</summary>
        public async Task<SecurIdUserChange> UnlockAsync(string userName, IReadOnlyCollection<string> methods, CancellationToken cancellationToken)
        {
            string[] wanted = CheckMethods(methods);
            JObject user = await LookupAsync(userName, cancellationToken).ConfigureAwait(false);
            var change = new SecurIdUserChange { UserName = userName, Appliance = Info.Address, Action = "Unlock" };
            string[] locked = wanted.Where(m => LockedMethodsOf(user).Contains(m)).ToArray();
            if (locked.Length == 0)
            {
                change.Outcome = "NoChange";
                change.Detail = $"{string.Join(", ", wanted)} not locked";
                return change;
            }

            string id = IdOf(user, userName);
            RestResponse response = await AdminAsync(Patch, $"v1/users/{id}/methods", new JObject { ["unlockMethods"] = new JArray(locked.Cast<object>().ToArray()) }, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, $"Unlocking {string.Join(", ", locked)} of '{userName}'");
            change.Outcome = "Changed";
            change.Detail = "unlocked " + string.Join(", ", locked);
            return change;
        }

        /// <summary>
        /// A new emergency access code (PUT v1/users/{id}/emergencyTokencode {"expirationDays"},
        /// RSA community article f9486b27). The code goes into a SecureString at once.
        /// </summary>
        public async Task<EmergencyAccessCode> NewEmergencyAccessCodeAsync(string userName, int expirationDays, CancellationToken cancellationToken)
        {
            if (expirationDays < 1 || expirationDays > 7)
            {
                throw new ArgumentException($"{expirationDays} is not a valid lifetime: an emergency access code lasts 1 to 7 days.");
            }

            JObject user = await LookupAsync(userName, cancellationToken).ConfigureAwait(false);
            string id = IdOf(user, userName);
            RestResponse response = await AdminAsync(HttpMethod.Put, $"v1/users/{id}/emergencyTokencode",
                new JObject { ["expirationDays"] = expirationDays.ToString(CultureInfo.InvariantCulture) }, cancellationToken).ConfigureAwait(false);
            Client.EnsureSuccess(response, $"Creating an emergency access code for '{userName}'");
            JObject json = response.Json as JObject;
            string clear = (string)json?["emergencyTokencode"];
            if (string.IsNullOrEmpty(clear))
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"{Info.Address} answered the emergency access code request for '{userName}' without a code.");
            }

            var secure = new SecureString();
            foreach (char c in clear)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return new EmergencyAccessCode(secure)
            {
                UserName = userName,
                Appliance = Info.Address,
                CodeId = (string)json["emergencyTokencodeId"],
                ExpiresOn = SecurIdJson.Time(json["expirationDate"]),
                OfflineExpiresOn = SecurIdJson.Time(json["offlineExpirationDate"]),
            };
        }

        /// <summary>Tests a code with a real initialize/verify round trip of the Authentication API.</summary>
        public Task<SecurIdCodeTestResult> TestCodeAsync(string userName, SecureString code, CancellationToken cancellationToken)
        {
            CheckName(userName);
            if (authClient == null)
            {
                throw new ApplianceException(ApplianceErrorKind.NotSupported,
                    $"No Authentication API is configured for {Info.Address}, so codes cannot be tested.",
                    "Connect with -Option @{ AuthApiUrl = 'https://<tenant>.auth.securid.com/mfa/v1_1' } and the client key as the -Credential password.");
            }

            return SecurIdCodeTest.RunAsync(authClient, options, userName, code, cancellationToken);
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            if (disposing && ownsAuthClient)
            {
                authClient.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>Throws the documented-name error before anything is sent.</summary>
        internal static void CheckName(string userName)
        {
            if (!SecurIdUserName.IsValid(userName))
            {
                throw new ArgumentException($"'{userName}' is not a valid SecurID user name: use {SecurIdUserName.ValidForm}.");
            }
        }

        private static string[] CheckMethods(IReadOnlyCollection<string> methods)
        {
            var wanted = new List<string>();
            foreach (string method in methods ?? new string[0])
            {
                string upper = (method ?? string.Empty).Trim().ToUpperInvariant();
                if (!UnlockableMethods.Contains(upper))
                {
                    throw new ArgumentException($"'{method}' is not a method SecurID can unlock: use {string.Join(", ", UnlockableMethods)}.");
                }

                if (!wanted.Contains(upper))
                {
                    wanted.Add(upper);
                }
            }

            if (wanted.Count == 0)
            {
                throw new ArgumentException($"Name at least one method to unlock: {string.Join(", ", UnlockableMethods)}.");
            }

            return wanted.ToArray();
        }

        // The user lookup (POST v1/users/lookup {"email","searchUnsynched"}, RSA community ta-p/623072).
        // It only reads, so a POST whose reply was lost may be sent again.
        private async Task<JObject> LookupAsync(string userName, CancellationToken cancellationToken)
        {
            CheckName(userName);
            RestResponse response = await AdminAsync(HttpMethod.Post, "v1/users/lookup", new JObject { ["email"] = userName, ["searchUnsynched"] = false }, cancellationToken, readOnly: true).ConfigureAwait(false);
            if (response.Code == 404)
            {
                throw new ApplianceException(ApplianceErrorKind.NotFound, $"{Info.Address} has no SecurID user '{userName}'.",
                    "Check the e-mail address; users from an identity source appear after it is synchronised.");
            }

            Client.EnsureSuccess(response, $"Looking up user '{userName}'");
            return response.Json as JObject ?? throw new ApplianceException(ApplianceErrorKind.Failed, $"{Info.Address} answered the lookup of '{userName}' without a user.");
        }

        private async Task<RestResponse> AdminAsync(HttpMethod method, string path, JToken body, CancellationToken cancellationToken, bool readOnly = false)
        {
            if (adminLogin == null)
            {
                throw new ApplianceException(ApplianceErrorKind.NotSupported, AdministrationNotOnAuthenticationManager);
            }

            Func<CancellationToken, Task<bool>> repeatable = readOnly ? (Func<CancellationToken, Task<bool>>)(_ => Task.FromResult(true)) : null;
            for (int attempt = 1; ; attempt++)
            {
                if (adminLogin.NeedsRefresh)
                {
                    await Client.EnsureLoggedInAsync(cancellationToken).ConfigureAwait(false);
                }

                RestResponse response = await Client.SendAsync(method, path, body, cancellationToken, repeatable).ConfigureAwait(false);

                // The service refuses an expired token with 403, not 401: make a new one once.
                if (attempt == 1 && SecurIdErrorParser.IsTokenRefused(response))
                {
                    adminLogin.Invalidate();
                    continue;
                }

                return response;
            }
        }

        private string IdOf(JObject user, string userName)
        {
            string id = (string)user["id"];
            if (id == null || !UserId.IsMatch(id))
            {
                throw new ApplianceException(ApplianceErrorKind.Failed, $"{Info.Address} answered the lookup of '{userName}' without a usable user id.");
            }

            return id;
        }

        private static List<string> LockedMethodsOf(JObject user)
        {
            var locked = new List<string>();
            foreach (var (field, method) in new[] { ("isTokenLocked", "TOKEN"), ("isSmsLocked", "SMS"), ("isVoiceLocked", "VOICE"), ("isFingerprintLocked", "FINGERPRINT"), ("isApproveLocked", "APPROVE") })
            {
                if (SecurIdJson.IsTrue(user[field]))
                {
                    locked.Add(method);
                }
            }

            return locked;
        }

        private SecurIdUser ToUser(string userName, JObject user, JObject devices)
        {
            var authenticators = new List<SecondFactorAuthenticator>();
            foreach (JToken token in devices?["sidTokens"] as JArray ?? new JArray())
            {
                authenticators.Add(new SecondFactorAuthenticator
                {
                    Kind = "SecurID token",
                    Identifier = (string)token["tokenSerialNumber"],
                    Enabled = !string.Equals((string)token["tokenStatus"], "Disabled", StringComparison.OrdinalIgnoreCase),
                    ExpiresOn = SecurIdJson.Time(token["expiryDate"]),
                });
            }

            foreach (JToken device in devices?["devices"] as JArray ?? new JArray())
            {
                string type = (string)device["deviceType"];
                authenticators.Add(new SecondFactorAuthenticator
                {
                    Kind = string.IsNullOrEmpty(type) ? "Authenticate app" : "Authenticate app (" + type + ")",
                    Identifier = (string)device["name"] ?? (string)device["id"],
                    Enabled = true,
                });
            }

            foreach (JToken fido in devices?["fidoTokens"] as JArray ?? new JArray())
            {
                authenticators.Add(new SecondFactorAuthenticator
                {
                    Kind = "FIDO token",
                    Identifier = (string)fido["name"] ?? (string)fido["id"],
                    Enabled = true,
                });
            }

            return new SecurIdUser
            {
                UserName = userName,
                Id = (string)user["id"],
                Appliance = Info.Address,
                Status = (string)user["userStatus"],
                LockedMethods = LockedMethodsOf(user),
                Authenticators = authenticators,
                FirstName = (string)user["firstName"],
                LastName = (string)user["lastName"],
                IdentitySource = (string)user["identitySource"],
                EmergencyAccessStatus = (string)user["emergencyAccessStatus"],
                LastAuthenticated = (string)user["monthLastAuthenticated"],
            };
        }
    }
}
