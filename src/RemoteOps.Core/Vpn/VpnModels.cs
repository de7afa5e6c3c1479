using System;
using System.Collections.Generic;
using System.Security;

namespace RemoteOps.Core.Vpn
{
    /// <summary>A local VPN user account.</summary>
    public sealed class VpnUser
    {
        /// <summary>The sign-in name.</summary>
        public string UserName { get; set; }

        /// <summary>The person's full name, where the appliance keeps one.</summary>
        public string FullName { get; set; }

        /// <summary>False when the account is disabled or locked.</summary>
        public bool Enabled { get; set; }

        /// <summary>Groups (ocserv), or realm/roles (Connect Secure), or user groups (FortiGate).</summary>
        public string[] Groups { get; set; } = new string[0];

        /// <summary>The appliance the user lives on.</summary>
        public string Appliance { get; set; }

        /// <summary>The driver of that appliance.</summary>
        public string Driver { get; set; }

        /// <summary>
        /// True when the appliance reports the password as expired, false when it reports it as
        /// valid or has no expiry at all, null when the driver cannot tell.
        /// </summary>
        public bool? PasswordExpired { get; set; }

        /// <summary>When the password expires (or expired), where the appliance reports it; null otherwise.</summary>
        public DateTimeOffset? PasswordExpires { get; set; }

        /// <summary>
        /// True when the user must choose a new password at the next sign-in (an administrator
        /// asked for it), false when not, null when the driver cannot tell.
        /// </summary>
        public bool? MustChangePassword { get; set; }
    }

    /// <summary>The user a caller wants to exist.</summary>
    public sealed class VpnUserRequest
    {
        /// <summary>The sign-in name (validated by <see cref="VpnUserName"/>).</summary>
        public string UserName { get; set; }

        /// <summary>Full name, or null to leave it alone.</summary>
        public string FullName { get; set; }

        /// <summary>Initial password; required to create a user.</summary>
        public SecureString Password { get; set; }

        /// <summary>Wanted groups, or null to leave them alone.</summary>
        public IReadOnlyList<string> Groups { get; set; }

        /// <summary>Wanted state, or null to leave it alone (new users are enabled).</summary>
        public bool? Enabled { get; set; }

        /// <summary>Make the user choose a new password at first sign-in, where the appliance supports it.</summary>
        public bool ChangePasswordAtSignIn { get; set; }
    }

    /// <summary>An active VPN session.</summary>
    public sealed class VpnSession
    {
        /// <summary>The appliance's identifier for the session.</summary>
        public string SessionId { get; set; }

        /// <summary>Who is connected.</summary>
        public string UserName { get; set; }

        /// <summary>Realm or group the session signed in through.</summary>
        public string Group { get; set; }

        /// <summary>The client's public address.</summary>
        public string ClientAddress { get; set; }

        /// <summary>The address assigned inside the tunnel.</summary>
        public string TunnelAddress { get; set; }

        /// <summary>The node that holds the session.</summary>
        public string Node { get; set; }

        /// <summary>When the session started, as reported by the appliance.</summary>
        public DateTimeOffset? SignInTime { get; set; }

        /// <summary>
        /// How finely the appliance reports <see cref="SignInTime"/>: one minute where it gives no
        /// seconds (ocserv before 1.2.3; the seconds then read 00), one second where it does;
        /// null where the driver does not know.
        /// </summary>
        public TimeSpan? SignInTimeResolution { get; set; }

        /// <summary>
        /// True when <see cref="SignInTime"/> carries the appliance's real UTC offset, so it is a
        /// true instant. False when the appliance gave a clock time without its time zone: the
        /// clock time is kept as reported and labelled +00:00, and is an instant only if the
        /// appliance runs on UTC.
        /// </summary>
        public bool SignInTimeZoneKnown { get; set; }

        /// <summary>Bytes received from the client, where reported.</summary>
        public long? BytesIn { get; set; }

        /// <summary>Bytes sent to the client, where reported.</summary>
        public long? BytesOut { get; set; }

        /// <summary>Client software, where reported.</summary>
        public string Agent { get; set; }

        /// <summary>The appliance the session is on.</summary>
        public string Appliance { get; set; }
    }

    /// <summary>Sessions on one node against its limit.</summary>
    public sealed class VpnCapacity
    {
        /// <summary>The node.</summary>
        public string Node { get; set; }

        /// <summary>Sessions now.</summary>
        public int ActiveSessions { get; set; }

        /// <summary>The most sessions allowed, or null when unlimited.</summary>
        public int? MaximumSessions { get; set; }

        /// <summary>Where the maximum comes from: Licensed or Configured.</summary>
        public string LimitSource { get; set; }

        /// <summary>Share of the maximum in use, 0-100, or null when unlimited.</summary>
        public double? PercentUsed => MaximumSessions.HasValue && MaximumSessions.Value > 0
            ? Math.Round(100.0 * ActiveSessions / MaximumSessions.Value, 1)
            : (double?)null;

        /// <summary>How many more sign-ins the limit permits now, or null when unlimited.</summary>
        public int? LoginsRemaining => MaximumSessions.HasValue ? Math.Max(0, MaximumSessions.Value - ActiveSessions) : (int?)null;

        /// <summary>The appliance.</summary>
        public string Appliance { get; set; }
    }

    /// <summary>High-availability state of an appliance.</summary>
    public sealed class VpnClusterStatus
    {
        /// <summary>The cluster's name, or the appliance's when it stands alone.</summary>
        public string ClusterName { get; set; }

        /// <summary>True when the appliance is part of an enabled cluster.</summary>
        public bool ClusterEnabled { get; set; }

        /// <summary>The node that leads, or null when none does.</summary>
        public string Leader { get; set; }

        /// <summary>The node that owns the virtual addresses, or null when unknown.</summary>
        public string VipOwner { get; set; }

        /// <summary>Every node.</summary>
        public VpnClusterNode[] Nodes { get; set; } = new VpnClusterNode[0];

        /// <summary>The appliance asked.</summary>
        public string Appliance { get; set; }
    }

    /// <summary>One node of a cluster.</summary>
    public sealed class VpnClusterNode
    {
        /// <summary>The node's name.</summary>
        public string Name { get; set; }

        /// <summary>Its address, where reported.</summary>
        public string Address { get; set; }

        /// <summary>Leader, Member or Standalone.</summary>
        public string Role { get; set; }

        /// <summary>True when this node owns the virtual addresses.</summary>
        public bool OwnsVip { get; set; }

        /// <summary>False when the cluster reports the node unreachable.</summary>
        public bool Reachable { get; set; }

        /// <summary>The raw status code, where the appliance reports one.</summary>
        public int? StatusCode { get; set; }

        /// <summary>The status bits decoded into words.</summary>
        public string[] Status { get; set; } = new string[0];
    }
}
