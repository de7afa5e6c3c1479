using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// SecurID replies. The Cloud Administration API answers {"code":"404 NOT_FOUND",
    /// "description":"User x not found"} (the same shape for 400 and 500), and a refused token a
    /// Spring-style {"timestamp","status":403,"error":"Forbidden","message":"Server failed to
    /// process provided access token","path"} (response samples of the public pydplus client,
    /// jeffshurtliff/pydplus examples/responses). The Authentication API documents no error
    /// body, so anything else falls back to the common JSON shapes.
    /// </summary>
    internal sealed class SecurIdErrorParser : JsonErrorParser
    {
        /// <summary>One shared instance.</summary>
        public static new SecurIdErrorParser Instance { get; } = new SecurIdErrorParser();

        /// <inheritdoc />
        public override string ErrorText(RestResponse response)
        {
            if (response?.Json is JObject json)
            {
                string code = (string)json["code"];
                string description = (string)json["description"];
                if (code != null || description != null)
                {
                    return code == null ? description : description == null ? code : code + ": " + description;
                }

                string error = (string)json["error"];
                string message = (string)json["message"];
                if (json["timestamp"] != null && (error != null || message != null))
                {
                    return error == null ? message : message == null ? error : error + ": " + message;
                }
            }

            return base.ErrorText(response);
        }

        /// <inheritdoc />
        public override ApplianceErrorKind? Classify(RestResponse response)
        {
            // "404 NOT_FOUND" and the like: the documented code wins over a proxy's status.
            string code = (string)(response?.Json as JObject)?["code"];
            if (code != null)
            {
                if (code.StartsWith("404", System.StringComparison.Ordinal))
                {
                    return ApplianceErrorKind.NotFound;
                }

                if (code.StartsWith("400", System.StringComparison.Ordinal))
                {
                    return ApplianceErrorKind.InvalidRequest;
                }

                if (code.StartsWith("429", System.StringComparison.Ordinal))
                {
                    return ApplianceErrorKind.Busy;
                }
            }

            // 409 on a status change is a conflict with the user's state, not a duplicate.
            return response?.Code == 409 ? ApplianceErrorKind.InvalidRequest : (ApplianceErrorKind?)null;
        }

        /// <summary>True for the documented refusal of the bearer token (403 with the Spring body), which an expired JWT also gets.</summary>
        internal static bool IsTokenRefused(RestResponse response)
        {
            if (response == null || response.Code != 403 || !(response.Json is JObject json))
            {
                return false;
            }

            string message = (string)json["message"];
            return message != null && message.IndexOf("access token", System.StringComparison.OrdinalIgnoreCase) >= 0;
        }
    }
}
