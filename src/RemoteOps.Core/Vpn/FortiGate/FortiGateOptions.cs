using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Vpn.FortiGate
{
    /// <summary>
    /// How to reach a FortiGate's REST API: the REST basics, with the REST API admin's token
    /// (System &gt; Administrators &gt; REST API Admin) as <see cref="RestConnectionOptions.Password"/>.
    /// </summary>
    public sealed class FortiGateOptions : RestConnectionOptions
    {
    }
}
