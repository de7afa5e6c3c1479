using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Vpn.Ocserv
{
    /// <summary>
    /// Reads occtl's --json output as ocserv 1.1.6 writes it: human key names with spaces,
    /// numbers mostly as strings, keys left out when empty, the key "Routes" written twice
    /// when no routes are pushed (fixed in 1.2.1; the last one wins, as in most JSON readers),
    /// and an empty list written as "[\n]".
    /// </summary>
    internal static class OcctlJson
    {
        private static readonly string[] ConnectedAtFormats = { "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss" };

        /// <summary>Parses occtl output; throws <see cref="JsonException"/> when it is not JSON.</summary>
        public static JToken Parse(string text)
        {
            using (var reader = new JsonTextReader(new StringReader(text ?? string.Empty)))
            {
                // Dates stay strings: "Connected at" is the server's local wall clock, read below.
                reader.DateParseHandling = DateParseHandling.None;
                reader.FloatParseHandling = FloatParseHandling.Decimal;
                var settings = new JsonLoadSettings
                {
                    DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Replace,
                    CommentHandling = CommentHandling.Ignore,
                    LineInfoHandling = LineInfoHandling.Ignore,
                };
                JToken token = JToken.ReadFrom(reader, settings);
                while (reader.Read())
                {
                    if (reader.TokenType != JsonToken.Comment)
                    {
                        throw new JsonReaderException($"Unexpected text after the JSON value at line {reader.LineNumber}.");
                    }
                }

                return token;
            }
        }

        /// <summary>
        /// Sessions from "show users", "show user" or "show id". Only entries in state
        /// "connected" are sessions; workers still authenticating have no tunnel yet.
        /// </summary>
        public static IReadOnlyList<VpnSession> ReadSessions(JToken users, string node, string appliance, TimeSpan? serverOffset)
        {
            var sessions = new List<VpnSession>();
            if (!(users is JArray array))
            {
                return sessions;
            }

            foreach (JToken user in array)
            {
                if (!(user is JObject entry))
                {
                    continue;
                }

                string state = Text(entry["State"]);
                if (state != null && !string.Equals(state, "connected", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                sessions.Add(new VpnSession
                {
                    SessionId = Text(entry["ID"]),
                    UserName = Text(entry["Username"]),
                    Group = NoGroup(Text(entry["Groupname"])),
                    ClientAddress = Text(entry["Remote IP"]),
                    TunnelAddress = Text(entry["IPv4"]) ?? Text(entry["IPv6"]),
                    Node = node,
                    SignInTime = SignInTime(entry, serverOffset, out TimeSpan? resolution),
                    SignInTimeResolution = resolution,
                    SignInTimeZoneKnown = ZoneKnown(entry, serverOffset),
                    BytesIn = Count(entry["RX"]),
                    BytesOut = Count(entry["TX"]),
                    Agent = Text(entry["User-Agent"]),
                    Appliance = appliance,
                });
            }

            return sessions;
        }

        /// <summary>"Active sessions" from "show status", or null when absent or unreadable.</summary>
        public static int? ActiveSessions(JToken status)
        {
            long? count = Count(status?["Active sessions"]);
            return count.HasValue && count.Value <= int.MaxValue ? (int)count.Value : (int?)null;
        }

        /// <summary>
        /// The sign-in time: "raw_connected_at" (Unix seconds, written from ocserv 1.2.3 on) when
        /// present, else "Connected at", which 1.1.6 writes to the minute only. The resolution
        /// says which, so a time that lost its seconds does not pass for an exact one.
        /// </summary>
        public static DateTimeOffset? SignInTime(JObject entry, TimeSpan? serverOffset, out TimeSpan? resolution)
        {
            long? raw = Count(entry["raw_connected_at"]);
            if (raw.HasValue && raw.Value > 0 && raw.Value < 253402300800)
            {
                resolution = TimeSpan.FromSeconds(1);
                DateTimeOffset utc = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(raw.Value);
                return serverOffset.HasValue ? utc.ToOffset(serverOffset.Value) : utc;
            }

            string text = Text(entry["Connected at"]);
            DateTimeOffset? time = ConnectedAt(text, serverOffset);
            resolution = time == null ? (TimeSpan?)null
                : text.Trim().Length == ConnectedAtFormats[0].Length ? TimeSpan.FromMinutes(1)
                : TimeSpan.FromSeconds(1);
            return time;
        }

        /// <summary>
        /// True when the sign-in time is a true instant: raw_connected_at (Unix seconds), or the
        /// local "Connected at" with the server's UTC offset known.
        /// </summary>
        public static bool ZoneKnown(JObject entry, TimeSpan? serverOffset)
        {
            long? raw = Count(entry["raw_connected_at"]);
            return (raw.HasValue && raw.Value > 0 && raw.Value < 253402300800)
                || (serverOffset.HasValue && ConnectedAt(Text(entry["Connected at"]), serverOffset) != null);
        }

        /// <summary>
        /// "YYYY-MM-DD HH:MM" in the server's local time. With the server's UTC offset (read
        /// when connecting) it becomes an instant; without it the wall clock is kept at +00:00.
        /// </summary>
        public static DateTimeOffset? ConnectedAt(string text, TimeSpan? serverOffset)
        {
            if (text == null || !DateTime.TryParseExact(text.Trim(), ConnectedAtFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime time))
            {
                return null;
            }

            return new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Unspecified), serverOffset ?? TimeSpan.Zero);
        }

        /// <summary>A value as text (numbers in invariant form); null for absent, null or empty.</summary>
        public static string Text(JToken token)
        {
            if (token == null || token.Type == JTokenType.Null || token.Type == JTokenType.Undefined)
            {
                return null;
            }

            string text = token is JValue value ? Convert.ToString(value.Value, CultureInfo.InvariantCulture) : token.ToString(Formatting.None);
            return string.IsNullOrEmpty(text) ? null : text;
        }

        /// <summary>A byte or session count written as a number or a string of digits.</summary>
        public static long? Count(JToken token)
        {
            string text = Text(token);
            return text != null && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long count) ? count : (long?)null;
        }

        private static string NoGroup(string group) => group == null || group == "*" || group == "(none)" ? null : group;
    }
}
