using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.FortiOs
{
    /// <summary>
    /// FortiOS REST replies: {"status":"error","http_status":...,"error":&lt;negative CLI code&gt;,
    /// "cli_error":"..."} (FortiOS REST API reference, response envelope; the codes as published
    /// in Fortinet's Ansible collection and Go SDK). -3 entry not found, -5 duplicate entry,
    /// -23 entry in use, -651 invalid input value.
    /// </summary>
    internal sealed class FortiOsErrorParser : IVendorErrorParser
    {
        /// <summary>FortiOS: the entry does not exist.</summary>
        public const int EntryNotFound = -3;

        /// <summary>FortiOS: a duplicate entry already exists.</summary>
        public const int DuplicateEntry = -5;

        /// <summary>FortiOS: the entry is used by another object (a policy, a group).</summary>
        public const int EntryInUse = -23;

        /// <summary>FortiOS: an input value is invalid.</summary>
        public const int InvalidValue = -651;

        /// <summary>One shared instance; the parser holds no state.</summary>
        public static FortiOsErrorParser Instance { get; } = new FortiOsErrorParser();

        /// <summary>The negative CLI code of a failed reply, or null.</summary>
        public static int? CliCode(RestResponse response)
        {
            JToken code = response?.Json?["error"];
            return code != null && code.Type == JTokenType.Integer ? code.Value<int>() : (int?)null;
        }

        /// <inheritdoc />
        public string ErrorText(RestResponse response)
        {
            JToken json = response?.Json;
            if (!(json is JObject obj))
            {
                return null;
            }

            int? code = CliCode(response);
            string cli = (string)obj["cli_error"];
            string meaning = code.HasValue ? Meaning(code.Value) : null;
            string text = code.HasValue ? $"FortiOS error {code}" + (meaning == null ? string.Empty : $" ({meaning})") : null;
            if (!string.IsNullOrWhiteSpace(cli))
            {
                text = text == null ? cli : text + ": " + cli;
            }

            return text ?? (string)obj["message"];
        }

        /// <inheritdoc />
        public ApplianceErrorKind? Classify(RestResponse response)
        {
            switch (CliCode(response))
            {
                case EntryNotFound: return ApplianceErrorKind.NotFound;
                case DuplicateEntry: return ApplianceErrorKind.AlreadyExists;
                case EntryInUse: return ApplianceErrorKind.InUse;
                case InvalidValue: return ApplianceErrorKind.InvalidRequest;
                default: return null;
            }
        }

        private static string Meaning(int code)
        {
            switch (code)
            {
                case EntryNotFound: return "entry not found";
                case DuplicateEntry: return "a duplicate entry already exists";
                case EntryInUse: return "entry is used by another object";
                case InvalidValue: return "input value is invalid";
                default: return null;
            }
        }
    }
}
