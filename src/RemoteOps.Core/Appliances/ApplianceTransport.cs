namespace RemoteOps.Core.Appliances
{
    /// <summary>How a driver reaches its device; it decides which connection parameters apply.</summary>
    public enum ApplianceTransport
    {
        /// <summary>SSH, with the same options as Invoke-RoSshCommand.</summary>
        Ssh,

        /// <summary>A REST API over HTTPS, with certificate validation or a pin.</summary>
        Rest,
    }
}
