using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Tests.TestSupport
{
    /// <summary>A request as the scripted appliance received it.</summary>
    internal sealed class RecordedRequest
    {
        internal RecordedRequest(HttpRequestMessage request, string body, bool routed)
        {
            Method = request.Method;
            Path = request.RequestUri.AbsolutePath;
            Query = request.RequestUri.Query.TrimStart('?');
            Authorization = request.Headers.Authorization;
            Headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            ContentType = request.Content?.Headers.ContentType?.MediaType;
            Body = body;
            Routed = routed;
            headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        }

        private readonly Dictionary<string, string> headers;

        /// <summary>A request header as sent (the client's default headers included), or null.</summary>
        internal string Header(string name) => headers.TryGetValue(name, out string value) ? value : null;

        internal HttpMethod Method { get; }

        /// <summary>The path as sent, percent-encoding kept.</summary>
        internal string Path { get; }

        internal string Query { get; }

        internal AuthenticationHeaderValue Authorization { get; }

        /// <summary>The request headers (not the content headers), several values joined by ", ".</summary>
        internal IReadOnlyDictionary<string, string> Headers { get; }

        internal string ContentType { get; }

        internal string Body { get; }

        internal bool Routed { get; }

        /// <summary>The body as a JSON object (throws when it is not one, which fails the test).</summary>
        internal JObject Json => JObject.Parse(Body);

        /// <summary>The user name of a Basic authorization header.</summary>
        internal string BasicUser
        {
            get
            {
                if (Authorization == null || Authorization.Scheme != "Basic")
                {
                    return null;
                }

                string pair = Encoding.UTF8.GetString(Convert.FromBase64String(Authorization.Parameter));
                return pair.Substring(0, pair.IndexOf(':'));
            }
        }

        /// <summary>The password of a Basic authorization header.</summary>
        internal string BasicPassword
        {
            get
            {
                string pair = Encoding.UTF8.GetString(Convert.FromBase64String(Authorization.Parameter));
                return pair.Substring(pair.IndexOf(':') + 1);
            }
        }

        public override string ToString() => $"{Method} {Path}{(Query.Length == 0 ? string.Empty : "?" + Query)}";

        internal static string CanonicalQuery(string query)
            => string.Join("&", query.Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries).OrderBy(p => p, StringComparer.Ordinal));
    }
}
