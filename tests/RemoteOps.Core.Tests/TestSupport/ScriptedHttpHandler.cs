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
    /// <summary>
    /// An appliance played from a script instead of an emulator: routes by method, path and query,
    /// records every request, and answers, waits, or drops the connection as each route's script
    /// says. A route plays its steps in order and repeats the last one. A request no route
    /// matches is answered 404 and listed in <see cref="Unrouted"/>, so a test can check that the
    /// driver sent nothing it did not expect.
    /// </summary>
    internal sealed class ScriptedHttpHandler : HttpMessageHandler
    {
        private readonly List<Route> routes = new List<Route>();
        private readonly List<RecordedRequest> requests = new List<RecordedRequest>();

        /// <summary>Every request received, in order.</summary>
        internal IReadOnlyList<RecordedRequest> Requests
        {
            get
            {
                lock (requests)
                {
                    return requests.ToList();
                }
            }
        }

        /// <summary>Requests no route matched.</summary>
        internal IReadOnlyList<RecordedRequest> Unrouted => Requests.Where(r => !r.Routed).ToList();

        /// <summary>
        /// Scripts <paramref name="method"/> on <paramref name="pathAndQuery"/>: the path as sent
        /// (percent-encoded) and, when the route gives one, exactly that query in any order; a
        /// route without a query matches only requests without one. A later route for the same
        /// request replaces an earlier one.
        /// </summary>
        internal ScriptedHttpHandler On(HttpMethod method, string pathAndQuery, params ScriptedAnswer[] steps)
        {
            if (steps == null || steps.Length == 0)
            {
                throw new ArgumentException($"The route {method} {pathAndQuery} needs at least one step.");
            }

            lock (routes)
            {
                routes.Insert(0, new Route(method, pathAndQuery, steps));
            }

            return this;
        }

        /// <summary>Requests received for <paramref name="method"/> on <paramref name="path"/>, whatever the query.</summary>
        internal IReadOnlyList<RecordedRequest> RequestsTo(HttpMethod method, string path)
            => Requests.Where(r => r.Method == method && r.Path == path).ToList();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = request.Content == null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            Route route;
            lock (routes)
            {
                route = routes.FirstOrDefault(r => r.Matches(request));
            }

            var recorded = new RecordedRequest(request, body, route != null);
            lock (requests)
            {
                requests.Add(recorded);
            }

            if (route == null)
            {
                return Answers.JsonResponse(404, "{\"message\":\"no such route in the test's script\"}");
            }

            return await route.Next()(recorded, cancellationToken).ConfigureAwait(false);
        }

        private sealed class Route
        {
            private readonly HttpMethod method;
            private readonly string path;
            private readonly string query;
            private readonly ScriptedAnswer[] steps;
            private int played;

            internal Route(HttpMethod method, string pathAndQuery, ScriptedAnswer[] steps)
            {
                this.method = method;
                int mark = pathAndQuery.IndexOf('?');
                path = mark < 0 ? pathAndQuery : pathAndQuery.Substring(0, mark);
                query = RecordedRequest.CanonicalQuery(mark < 0 ? string.Empty : pathAndQuery.Substring(mark + 1));
                this.steps = steps;
            }

            internal bool Matches(HttpRequestMessage request)
                => request.Method == method
                   && request.RequestUri.AbsolutePath == path
                   && RecordedRequest.CanonicalQuery(request.RequestUri.Query.TrimStart('?')) == query;

            internal ScriptedAnswer Next()
            {
                int index = Interlocked.Increment(ref played) - 1;
                return steps[Math.Min(index, steps.Length - 1)];
            }
        }
    }
}
