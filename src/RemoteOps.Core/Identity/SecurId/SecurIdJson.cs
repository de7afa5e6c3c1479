using System;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>Reading SecurID's JSON values, which come as JSON types or as strings ("true", "2024-11-28T04:12:06.000Z").</summary>
    internal static class SecurIdJson
    {
        internal static bool IsTrue(JToken value)
        {
            if (value == null)
            {
                return false;
            }

            return value.Type == JTokenType.Boolean ? value.Value<bool>() : string.Equals(value.ToString(), "true", StringComparison.OrdinalIgnoreCase);
        }

        internal static DateTimeOffset? Time(JToken value)
        {
            if (value == null || value.Type == JTokenType.Null)
            {
                return null;
            }

            if (value.Type == JTokenType.Date)
            {
                object raw = ((JValue)value).Value;
                if (raw is DateTimeOffset offset)
                {
                    return offset;
                }

                var time = (DateTime)raw;
                return time.Kind == DateTimeKind.Local ? new DateTimeOffset(time) : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
            }

            return DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed)
                ? parsed : (DateTimeOffset?)null;
        }
    }
}
