using System.Collections.Generic;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Rest
{
    /// <summary>
    /// The parser for APIs that document no error body: the common JSON shapes
    /// ({"message": ...} anywhere, or {"error": ...}) and nothing vendor-specific.
    /// </summary>
    internal class JsonErrorParser : IVendorErrorParser
    {
        /// <summary>One shared instance; the parser holds no state.</summary>
        public static JsonErrorParser Instance { get; } = new JsonErrorParser();

        /// <inheritdoc />
        public virtual string ErrorText(RestResponse response)
        {
            JToken json = response?.Json;
            if (json == null)
            {
                return null;
            }

            var texts = new List<string>();
            foreach (JToken token in json.SelectTokens("$..message"))
            {
                texts.Add(token.ToString());
            }

            if (texts.Count == 0 && json is JObject obj && obj["error"] != null)
            {
                texts.Add("error " + obj["error"]);
            }

            return texts.Count == 0 ? null : string.Join("; ", texts);
        }

        /// <inheritdoc />
        public virtual ApplianceErrorKind? Classify(RestResponse response) => null;
    }
}
