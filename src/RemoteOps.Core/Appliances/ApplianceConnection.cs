using RemoteOps.Core.Errors;
using System;
using System.Threading;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// An open connection to one device, returned by Connect-RoAppliance and passed to every
    /// device cmdlet. It shows what the device is and what it can do; the driver behind it is
    /// not reachable from a script, so every change goes through a cmdlet (ShouldProcess, audit).
    /// It never holds or shows a password.
    /// </summary>
    public sealed class ApplianceConnection : IDisposable
    {
        private static int lastId;
        private readonly IAppliance driver;
        private int closed;

        /// <summary>Wraps an opened driver.</summary>
        internal ApplianceConnection(IAppliance driver)
        {
            this.driver = driver ?? throw new ArgumentNullException(nameof(driver));
            Id = Interlocked.Increment(ref lastId);
            ConnectedAt = DateTimeOffset.UtcNow;
        }

        /// <summary>A number that tells this connection from the others opened in the process.</summary>
        public int Id { get; }

        /// <summary>The registered driver name.</summary>
        public string Driver => driver.Info.Driver;

        /// <summary>The address the device was reached at.</summary>
        public string Address => driver.Info.Address;

        /// <summary>Host name or serial number as reported by the device.</summary>
        public string Name => driver.Info.Name;

        /// <summary>Product and version as reported by the device.</summary>
        public string Version => driver.Info.Version;

        /// <summary>What the device can be asked to do.</summary>
        public ApplianceCapabilities Capabilities => driver.Capabilities;

        /// <summary>When the connection was opened.</summary>
        public DateTimeOffset ConnectedAt { get; }

        /// <summary>False after Disconnect-RoAppliance.</summary>
        public bool IsOpen => Volatile.Read(ref closed) == 0;

        /// <summary>True when the device has every capability in <paramref name="capability"/>.</summary>
        public bool Has(ApplianceCapabilities capability) => (Capabilities & capability) == capability;

        /// <summary>
        /// The driver's interface for one capability; a closed connection or a device without the
        /// capability is refused with a message that names what the device can do instead.
        /// </summary>
        internal TFeature Require<TFeature>(ApplianceCapabilities capability)
            where TFeature : class
        {
            if (!IsOpen)
            {
                throw new ApplianceException(ApplianceErrorKind.NotSupported, $"The connection to {this} was closed; connect again with Connect-RoAppliance.");
            }

            if (!Has(capability) || !(driver is TFeature feature))
            {
                throw new ApplianceException(
                    ApplianceErrorKind.NotSupported,
                    $"{Driver} {Address} does not offer {capability}; its capabilities are: {Capabilities}.",
                    "Pass -Connection with a connection to a device that has this capability (Connect-RoAppliance lists each connection's Capabilities).");
            }

            return feature;
        }

        /// <summary>
        /// Lets the driver send up to <paramref name="count"/> requests at the same time, for a
        /// cmdlet that works on that many items in parallel (-ThrottleLimit). Drivers without
        /// such a bound (SSH, where writes are serialised anyway) ignore it.
        /// </summary>
        internal void AllowConcurrentRequests(int count) => (driver as IConcurrentRequests)?.AllowConcurrentRequests(count);

        /// <summary>Closes the connection; a second call does nothing.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
            {
                driver.Dispose();
            }
        }

        /// <inheritdoc />
        public override string ToString() => $"{Driver} {Address}";
    }
}
