using System;
using System.Net.Http;
using System.Security;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// What every driver of a transport is given to connect: the address, the account, and for
    /// REST the certificate trust and proxy, for SSH the same target, credentials and host-key
    /// checking as Invoke-RoSshCommand. Driver-specific settings travel separately, validated.
    /// </summary>
    public sealed class ApplianceConnectRequest
    {
        /// <summary>The address as typed: a host name or https://host[:port].</summary>
        public string Address { get; set; }

        /// <summary>REST: the admin account; SSH: taken from <see cref="Ssh"/>.</summary>
        public string UserName { get; set; }

        /// <summary>REST: the admin password or the API token.</summary>
        public SecureString Password { get; set; }

        /// <summary>REST: how the device's certificate is trusted.</summary>
        public TlsTrust Trust { get; set; } = TlsTrust.SystemValidation;

        /// <summary>REST: an HTTP proxy to go through, or null to connect directly.</summary>
        public Uri Proxy { get; set; }

        /// <summary>Time allowed per request (REST) or per command (SSH).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>REST: connections kept open to the device, which bounds concurrent requests.</summary>
        public int MaxConnections { get; set; } = 16;

        /// <summary>SSH: the endpoint built from the SSH connection parameters.</summary>
        public SshEndpoint Ssh { get; set; }

        /// <summary>Tests: requests go to this handler instead of the network.</summary>
        internal HttpMessageHandler Handler { get; set; }
    }
}
