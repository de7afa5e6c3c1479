using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn.ConnectSecure;

namespace RemoteOps.Core.Tests.Vpn.ConnectSecure
{
    /// <summary>
    /// A Connect Secure appliance scripted from Ivanti's REST API guides (ICS 22.x REST API
    /// solutions guide; PCS/IPS REST API overview): realm_auth login answering an api_key that
    /// later requests send as the Basic user name with an empty password, and the system
    /// information read when connecting.
    /// </summary>
    internal static class ScriptedConnectSecure
    {
        internal const string AdminPassword = "Adm1n-S3cret!";
        internal const string ApiKey = "api-key-first";
        internal const string Address = "ics.test";

        /// <summary>The local users of the default "System Local" server, percent-encoded as sent.</summary>
        internal const string UsersPath = "/api/v1/configuration/authentication/auth-servers/auth-server/System%20Local/local/users";

        internal static readonly HttpMethod Get = HttpMethod.Get;
        internal static readonly HttpMethod Post = HttpMethod.Post;
        internal static readonly HttpMethod Put = HttpMethod.Put;
        internal static readonly HttpMethod Delete = HttpMethod.Delete;

        internal static RestRetryPolicy FastRetry => TestRetryPolicies.Fast;

        /// <summary>An appliance that accepts the login and reports its system information.</summary>
        internal static ScriptedHttpHandler Appliance() => new ScriptedHttpHandler()
            .On(Post, "/api/v1/realm_auth", Answers.Json(200, new JObject { ["api_key"] = ApiKey }))
            .On(Get, "/api/v1/system/system-information", Answers.Json(200, JObject.Parse(
                "{\"system-information\":{\"host-name\":\"ics-a\",\"hardware-model\":\"ISA6000-V\"},\"software-inventory\":{\"software\":{\"version\":\"22.7R2.3\",\"build\":\"3431\"}}}")));

        internal static Task<ConnectSecureAppliance> OpenAsync(ScriptedHttpHandler handler, RestRetryPolicy retry = null)
            => ConnectSecureAppliance.OpenAsync(
                new ConnectSecureOptions
                {
                    BaseAddress = new Uri("https://" + Address),
                    UserName = "rest-admin",
                    Password = Secrets.Secure(AdminPassword),
                    Retry = retry ?? FastRetry,
                    Handler = handler,
                },
                CancellationToken.None);

        internal static string UserPath(string userName) => UsersPath + "/user/" + Uri.EscapeDataString(userName);

        /// <summary>A user record as GET .../user/{name} returns it.</summary>
        internal static JObject User(string userName, bool enabled = true)
            => new JObject { ["username"] = userName, ["fullname"] = "Full " + userName, ["enabled"] = enabled ? "true" : "false", ["change-password-at-signin"] = "false" };

        /// <summary>An active-user record (ICS 22.x active-users example fields).</summary>
        internal static JObject ActiveUser(string sessionId, string userName, string node = "ics-a")
            => new JObject
            {
                ["active-user-name"] = userName,
                ["authentication-realm"] = "Users",
                ["session-id"] = sessionId,
                ["login-node"] = node,
                ["network-connect-ip"] = "10.10.0.5",
                ["source-ip"] = "203.0.113.7",
                ["agent-type"] = "Pulse Secure",
                ["user-sign-in-time"] = "2026/11/30 08:15:00",
            };

        /// <summary>One page of GET /api/v1/system/active-users.</summary>
        internal static JObject ActiveUsersPage(JArray records, int totalMatched, bool isLast)
            => new JObject
            {
                ["active-users"] = new JObject
                {
                    ["active-user-records"] = new JObject { ["active-user-record"] = records },
                    ["total-matched-record-number"] = totalMatched,
                    ["total-returned-record-number"] = records.Count,
                    ["user-login-permission"] = true,
                    ["is-last-record"] = isLast ? "true" : "false",
                },
            };
    }
}
