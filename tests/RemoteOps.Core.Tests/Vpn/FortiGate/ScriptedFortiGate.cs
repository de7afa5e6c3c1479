using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Tests.TestSupport;
using RemoteOps.Core.Vpn.FortiGate;

namespace RemoteOps.Core.Tests.Vpn.FortiGate
{
    /// <summary>
    /// A FortiGate scripted from the FortiOS REST API as Fortinet's Ansible collection and public
    /// clients use it: a REST API admin token sent as a Bearer header, answers wrapped in the
    /// FortiOS envelope with the data under "results".
    /// </summary>
    internal static class ScriptedFortiGate
    {
        internal const string Token = "fgt-T0ken-0123456789abcdef";
        internal const string Address = "fgt.test";
        internal const string UsersPath = "/api/v2/cmdb/user/local";
        internal const string GroupsPath = "/api/v2/cmdb/user/group";
        internal const string SessionsPath = "/api/v2/monitor/vpn/ssl";
        internal const string KickPath = "/api/v2/monitor/vpn/ssl/delete";

        internal static readonly HttpMethod Get = HttpMethod.Get;
        internal static readonly HttpMethod Post = HttpMethod.Post;
        internal static readonly HttpMethod Put = HttpMethod.Put;
        internal static readonly HttpMethod Delete = HttpMethod.Delete;

        internal static RestRetryPolicy FastRetry => TestRetryPolicies.Fast;

        /// <summary>An appliance that accepts the token and reports its status and FortiOS <paramref name="version"/>.</summary>
        internal static ScriptedHttpHandler Appliance(string version = "v7.4.4")
        {
            JObject status = Envelope(new JObject { ["hostname"] = "fgt-a", ["model_name"] = "FortiGate" });
            status["version"] = version;
            return new ScriptedHttpHandler().On(Get, "/api/v2/monitor/system/status", Answers.Json(200, status));
        }

        internal static Task<FortiGateAppliance> OpenAsync(ScriptedHttpHandler handler)
            => FortiGateAppliance.OpenAsync(
                new FortiGateOptions
                {
                    BaseAddress = new Uri("https://" + Address),
                    Password = Secrets.Secure(Token),
                    Retry = FastRetry,
                    Handler = handler,
                },
                CancellationToken.None);

        /// <summary>The FortiOS success envelope around <paramref name="results"/>.</summary>
        internal static JObject Envelope(JToken results)
            => new JObject
            {
                ["http_method"] = "GET",
                ["results"] = results,
                ["vdom"] = "root",
                ["status"] = "success",
                ["http_status"] = 200,
                ["serial"] = "FGVM01TM00000001",
                ["version"] = "v7.4.4",
                ["build"] = 2662,
            };

        /// <summary>The FortiOS error envelope: HTTP status and FortiOS error code.</summary>
        internal static JObject ErrorEnvelope(int httpStatus, int error)
            => new JObject { ["http_method"] = "PUT", ["status"] = "error", ["http_status"] = httpStatus, ["error"] = error, ["vdom"] = "root", ["version"] = "v7.4.4", ["build"] = 2662 };

        internal static string UserPath(string userName) => UsersPath + "/" + Uri.EscapeDataString(userName);

        internal static string GroupPath(string group) => GroupsPath + "/" + Uri.EscapeDataString(group);

        internal static JObject User(string userName, bool enabled = true)
            => new JObject { ["name"] = userName, ["status"] = enabled ? "enable" : "disable", ["type"] = "password", ["passwd"] = "ENC XXXX", ["email-to"] = userName + "@example.org" };

        internal static JObject Group(string name, params string[] members)
            => new JObject { ["name"] = name, ["member"] = new JArray(members.Select(m => new JObject { ["name"] = m })) };

        /// <summary>A web session with one tunnel subsession, as GET monitor/vpn/ssl lists it.</summary>
        internal static JObject Session(int index, string userName, string remoteHost = "203.0.113.7", string loginTime = "2026-11-30 08:15:00")
            => new JObject
            {
                ["index"] = index,
                ["user_name"] = userName,
                ["remote_host"] = remoteHost,
                ["last_login_time"] = loginTime,
                ["subsessions"] = new JArray(new JObject { ["index"] = index * 10, ["aip"] = "10.212.134.200", ["in_bytes"] = 1000, ["out_bytes"] = 2000 }),
            };
    }
}
