using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Diagnostics
{
    /// <summary>How a check names the appliance it looked at: the same words as the connection ("ocserv 198.18.2.11").</summary>
    internal static class ApplianceTarget
    {
        internal static string Of(IAppliance appliance) => $"{appliance.Info.Driver} {appliance.Info.Address}";
    }
}
