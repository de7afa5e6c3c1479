using System;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// What every REST driver shares: one client built from the common options with the
    /// vendor's error parser and login, the device's identity, and disposal. A driver adds its
    /// endpoints and nothing of the transport.
    /// </summary>
    public abstract class RestApplianceBase : IAppliance, IConcurrentRequests
    {
        private int disposed;

        /// <summary>Builds the client; the password or token is registered as a secret to keep out of error text.</summary>
        /// <param name="driverName">The registered driver name, shown in <see cref="Info"/>.</param>
        /// <param name="product">The API's name for messages ("the FortiOS REST API").</param>
        /// <param name="options">The common REST options, validated here.</param>
        /// <param name="errors">Reads the vendor's error replies.</param>
        /// <param name="login">Produces the Authorization header; called again after a 401.</param>
        private protected RestApplianceBase(string driverName, string product, RestConnectionOptions options, IVendorErrorParser errors,
            Func<RestClient, CancellationToken, Task<AuthenticationHeaderValue>> login)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.ValidateAddress(product);
            Client = new RestClient(options, errors, login);
            Client.AddSecret(SecretText.Reveal(options.Password));
            Info = new ApplianceInfo { Driver = driverName, Address = options.BaseAddress.Authority };
        }

        /// <inheritdoc />
        public ApplianceInfo Info { get; }

        /// <inheritdoc />
        public abstract ApplianceCapabilities Capabilities { get; }

        /// <summary>Requests sent so far, retries included.</summary>
        public int RequestsSent => Client.Attempts;

        /// <summary>Raises how many requests the client sends at the same time (never lowers it).</summary>
        public void AllowConcurrentRequests(int count) => Client.AllowConcurrentRequests(count);

        /// <summary>The device's REST client.</summary>
        internal RestClient Client { get; }

        /// <summary>Runs <paramref name="connect"/> (login, first read) and disposes the driver if it fails.</summary>
        private protected static async Task<TDriver> OpenAsync<TDriver>(TDriver driver, Func<TDriver, Task> connect)
            where TDriver : RestApplianceBase
        {
            try
            {
                await connect(driver).ConfigureAwait(false);
                return driver;
            }
            catch
            {
                driver.Dispose();
                throw;
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }
        }

        /// <summary>Releases the client; drivers that hold more override and call the base.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                Client.Dispose();
            }
        }
    }
}
