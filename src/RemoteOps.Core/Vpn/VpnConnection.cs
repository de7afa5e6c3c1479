using System;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// An open connection to one VPN appliance, returned by Connect-RoVpnAppliance and passed
    /// to the other VPN cmdlets. It holds the login (api key, token or SSH session); it never
    /// holds or shows the password.
    /// </summary>
    public sealed class VpnConnection : IDisposable
    {
        /// <summary>Wraps an opened driver.</summary>
        public VpnConnection(IVpnAppliance appliance)
        {
            Appliance = appliance ?? throw new ArgumentNullException(nameof(appliance));
            ConnectedAt = DateTimeOffset.UtcNow;
        }

        /// <summary>The driver: Ocserv, ConnectSecure or FortiGate.</summary>
        public string Driver => Appliance.Info.Driver;

        /// <summary>The address the appliance was reached at.</summary>
        public string Address => Appliance.Info.Address;

        /// <summary>Host name or serial number as reported by the appliance.</summary>
        public string Name => Appliance.Info.Name;

        /// <summary>Product and version as reported by the appliance.</summary>
        public string Version => Appliance.Info.Version;

        /// <summary>When the connection was opened.</summary>
        public DateTimeOffset ConnectedAt { get; }

        /// <summary>False after Disconnect-RoVpnAppliance.</summary>
        public bool IsOpen { get; private set; } = true;

        /// <summary>The driver behind the connection.</summary>
        public IVpnAppliance Appliance { get; }

        /// <summary>Closes the connection.</summary>
        public void Dispose()
        {
            if (IsOpen)
            {
                IsOpen = false;
                Appliance.Dispose();
            }
        }

        /// <inheritdoc />
        public override string ToString() => $"{Driver} {Address}";
    }
}
