using System;
using System.Globalization;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Vpn.FortiGate
{
    /// <summary>
    /// Whether a FortiGate local user's password has expired, from the user's passwd-policy and
    /// passwd-time and the named user password-policy.
    /// </summary>
    /// <remarks>
    /// FortiOS CLI Reference, "config user password-policy": expire-days (0-999, default 180),
    /// warn-days, expired-password-renewal, and from 7.4.2 expire-status (enable|disable, default
    /// disable: passwords do not expire). "config user local": passwd-policy names the policy,
    /// passwd-time is the time of the last password update; a policy applies only to the users
    /// that name it (FortiOS 6.0 CLI Reference, user password-policy). The text format of
    /// passwd-time ("yyyy-MM-dd HH:mm:ss", "0000-00-00 00:00:00" when never set) and its time
    /// zone (read here as UTC) are not documented; expire-days 0 is read as "never expires".
    /// </remarks>
    internal static class FortiGatePasswordPolicy
    {
        /// <summary>Fills PasswordExpired and PasswordExpires of <paramref name="user"/>; <paramref name="policy"/> is null when the named policy could not be read.</summary>
        internal static void Apply(VpnUser user, JToken local, JToken policy, DateTimeOffset now)
        {
            string type = (string)local["type"] ?? "password";
            string policyName = (string)local["passwd-policy"];
            if (!string.Equals(type, "password", StringComparison.OrdinalIgnoreCase))
            {
                // The password lives on a RADIUS, LDAP or TACACS+ server: its expiry is that server's.
                user.PasswordExpired = null;
                return;
            }

            if (string.IsNullOrEmpty(policyName))
            {
                user.PasswordExpired = false;
                return;
            }

            if (policy == null)
            {
                user.PasswordExpired = null;
                return;
            }

            int days = policy["expire-days"]?.Type == JTokenType.Integer ? policy["expire-days"].Value<int>()
                : int.TryParse((string)policy["expire-days"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int d) ? d : 180;
            string status = (string)policy["expire-status"];
            if ((status != null && !string.Equals(status, "enable", StringComparison.OrdinalIgnoreCase)) || days <= 0)
            {
                user.PasswordExpired = false;
                return;
            }

            if (!DateTime.TryParseExact((string)local["passwd-time"], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime changed))
            {
                user.PasswordExpired = null;
                return;
            }

            user.PasswordExpires = new DateTimeOffset(changed, TimeSpan.Zero).AddDays(days);
            user.PasswordExpired = now >= user.PasswordExpires.Value;
        }
    }
}
