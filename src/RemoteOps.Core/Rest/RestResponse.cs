using System.Collections.Generic;
using System.Net;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Rest
{
    /// <summary>A decoded response.</summary>
    internal sealed class RestResponse
    {
        internal RestResponse(HttpStatusCode status, string text, System.TimeSpan? retryAfter = null, IReadOnlyDictionary<string, string> headers = null)
        {
            Status = status;
            Text = text ?? string.Empty;
            RetryAfter = retryAfter;
            Headers = headers ?? new Dictionary<string, string>();
        }

        /// <summary>The response headers by name (case-insensitive); several values are joined by a line feed.</summary>
        internal IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>One header's value, or null when the response has none.</summary>
        internal string Header(string name) => Headers.TryGetValue(name, out string value) ? value : null;

        /// <summary>The wait the appliance asked for (Retry-After), or null.</summary>
        internal System.TimeSpan? RetryAfter { get; }

        internal HttpStatusCode Status { get; }

        internal string Text { get; }

        internal int Code => (int)Status;

        internal bool IsSuccess => Code >= 200 && Code < 300;

        /// <summary>The body as JSON, or null when it is empty or not JSON (some appliances answer errors in HTML).</summary>
        internal JToken Json
        {
            get
            {
                if (string.IsNullOrWhiteSpace(Text))
                {
                    return null;
                }

                try
                {
                    return JToken.Parse(Text);
                }
                catch (Newtonsoft.Json.JsonException)
                {
                    return null;
                }
            }
        }
    }
}
