using System.Collections.Generic;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Vpn.ConnectSecure
{
    /// <summary>
    /// Connect Secure replies. The REST guide documents only the success shape
    /// {"result":{"info":[{"message":...}]}} (Ivanti Connect Secure 22.x REST API guide, "Using
    /// the REST APIs"); failures are read from the same envelope's "errors" list, and any other
    /// "message" as a fallback, since the error body itself is not documented.
    /// </summary>
    internal sealed class ConnectSecureErrorParser : JsonErrorParser
    {
        /// <summary>One shared instance.</summary>
        public static new ConnectSecureErrorParser Instance { get; } = new ConnectSecureErrorParser();

        /// <inheritdoc />
        public override string ErrorText(RestResponse response)
        {
            if (response?.Json?["result"]?["errors"] is JArray errors && errors.Count > 0)
            {
                var texts = new List<string>();
                foreach (JToken error in errors)
                {
                    texts.Add((string)error["message"] ?? error.ToString(Newtonsoft.Json.Formatting.None));
                }

                return string.Join("; ", texts);
            }

            return base.ErrorText(response);
        }
    }
}
