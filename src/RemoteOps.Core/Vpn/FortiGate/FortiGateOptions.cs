using RemoteOps.Core.Appliances;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Vpn.FortiGate
{
    /// <summary>
    /// How to reach a FortiGate's REST API: the REST basics, with the REST API admin's token
    /// (System &gt; Administrators &gt; REST API Admin) as <see cref="RestConnectionOptions.Password"/>,
    /// and the interfaces the firewall policies RemoteOps writes apply to.
    /// </summary>
    public sealed class FortiGateOptions : RestConnectionOptions
    {
        /// <summary>The incoming interfaces (srcintf) of the policies RemoteOps writes.</summary>
        [DriverSetting("Incoming interfaces (srcintf) of the firewall policies RemoteOps writes; default any.")]
        public string[] SourceInterface { get; set; } = { "any" };

        /// <summary>The outgoing interfaces (dstintf) of the policies RemoteOps writes.</summary>
        [DriverSetting("Outgoing interfaces (dstintf) of the firewall policies RemoteOps writes; default any.")]
        public string[] DestinationInterface { get; set; } = { "any" };
    }
}
