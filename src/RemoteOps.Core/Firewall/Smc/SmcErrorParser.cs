using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Firewall.Smc
{
    /// <summary>
    /// SMC error replies: {"message": ..., "details": [...] or "..."}, as smc-python reads them
    /// (smc/api/exceptions.py in Forcepoint/fp-NGFW-SMC-python); a body that is not JSON is used
    /// as text. A 409 is a stale ETag: someone else changed the element since it was read.
    /// </summary>
    internal sealed class SmcErrorParser : JsonErrorParser
    {
        /// <summary>One shared instance.</summary>
        public static new SmcErrorParser Instance { get; } = new SmcErrorParser();

        /// <inheritdoc />
        public override string ErrorText(RestResponse response)
        {
            if (response?.Json is JObject body && body["message"] != null)
            {
                var parts = new List<string> { (string)body["message"] };
                JToken details = body["details"];
                if (details is JArray list)
                {
                    parts.AddRange(list.Select(d => d.Type == JTokenType.String ? (string)d : d.ToString(Newtonsoft.Json.Formatting.None)).Where(d => !string.IsNullOrEmpty(d)));
                }
                else if (details?.Type == JTokenType.String && !string.IsNullOrEmpty((string)details))
                {
                    parts.Add((string)details);
                }

                return string.Join(": ", parts.Where(p => !string.IsNullOrEmpty(p)));
            }

            return base.ErrorText(response);
        }

        /// <inheritdoc />
        public override ApplianceErrorKind? Classify(RestResponse response) =>
            response?.Code == 409 ? ApplianceErrorKind.Busy : (ApplianceErrorKind?)null;
    }
}
