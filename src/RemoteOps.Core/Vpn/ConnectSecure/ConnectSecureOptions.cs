using System;
using System.Security;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Vpn.ConnectSecure
{
    /// <summary>How to reach and log in to an Ivanti Connect Secure appliance.</summary>
    public sealed class ConnectSecureOptions
    {
        /// <summary>https://host[:port] of the appliance's admin interface.</summary>
        public Uri BaseAddress { get; set; }

        /// <summary>The REST admin account.</summary>
        public string AdminUser { get; set; }

        /// <summary>Its password.</summary>
        public SecureString AdminPassword { get; set; }

        /// <summary>The admin sign-in realm for POST /api/v1/realm_auth.</summary>
        public string AdminRealm { get; set; } = "Admin Users";

        /// <summary>The local authentication server that holds VPN users.</summary>
        public string AuthServer { get; set; } = "System Local";

        /// <summary>Certificate trust.</summary>
        public TlsTrust Trust { get; set; } = TlsTrust.SystemValidation;

        /// <summary>Retries of busy or flaky requests.</summary>
        public RestRetryPolicy Retry { get; set; } = new RestRetryPolicy();

        /// <summary>Time allowed per request.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Connections kept open to the appliance (bounds concurrency).</summary>
        public int MaxConnections { get; set; } = 16;
    }
}
