using System;
using System.Security;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Vpn.FortiGate
{
    /// <summary>How to reach a FortiGate's REST API for its SSL-VPN.</summary>
    public sealed class FortiGateOptions
    {
        /// <summary>https://host[:port] of the admin interface.</summary>
        public Uri BaseAddress { get; set; }

        /// <summary>The REST API admin's token (System &gt; Administrators &gt; REST API Admin).</summary>
        public SecureString ApiToken { get; set; }

        /// <summary>Certificate trust.</summary>
        public TlsTrust Trust { get; set; } = TlsTrust.SystemValidation;

        /// <summary>Retries of busy or flaky requests.</summary>
        public RestRetryPolicy Retry { get; set; } = new RestRetryPolicy();

        /// <summary>Time allowed per request.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Connections kept open to the appliance.</summary>
        public int MaxConnections { get; set; } = 16;
    }
}
