using System;
using System.Net.Http;
using System.Security;

namespace RemoteOps.Core.Rest
{
    /// <summary>
    /// What every REST-managed device needs to be reached: the address, the account or token,
    /// certificate trust, proxy, time-out, retries and concurrency. Each REST driver's options
    /// derive from it and add their own settings.
    /// </summary>
    public abstract class RestConnectionOptions
    {
        /// <summary>https://host[:port] of the device's management interface.</summary>
        public Uri BaseAddress { get; set; }

        /// <summary>The admin account, where the API logs in with one.</summary>
        public string UserName { get; set; }

        /// <summary>The admin password, or the API token where the API uses tokens.</summary>
        public SecureString Password { get; set; }

        /// <summary>Certificate trust.</summary>
        public TlsTrust Trust { get; set; } = TlsTrust.SystemValidation;

        /// <summary>An HTTP proxy to reach the device through, or null to connect directly.</summary>
        public Uri Proxy { get; set; }

        /// <summary>Retries of busy or flaky requests.</summary>
        public RestRetryPolicy Retry { get; set; } = new RestRetryPolicy();

        /// <summary>Time allowed per request.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Requests sent to the device at the same time at first; a user cmdlet raises it to its -ThrottleLimit.</summary>
        public int MaxConnections { get; set; } = 16;

        /// <summary>Tests: requests go to this handler instead of the network.</summary>
        internal HttpMessageHandler Handler { get; set; }

        /// <summary>Refuses an address that is not https:// before anything is sent.</summary>
        /// <param name="product">The product name for the message, e.g. "the Connect Secure REST API".</param>
        public void ValidateAddress(string product)
        {
            if (BaseAddress == null || BaseAddress.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"'{BaseAddress}' is not an https:// address; {product} is reached over HTTPS only.");
            }

            if (Proxy != null && Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"The proxy '{Proxy}' is not an http:// or https:// address.");
            }
        }
    }
}
