namespace RemoteOps.Core.Laptops
{
    /// <summary>An active host firewall: inbound denied by default, SSH allowed from the management network.</summary>
    public sealed class HostFirewallRequirement
    {
        /// <summary>True when inbound traffic must be denied by default.</summary>
        public bool DefaultDenyInbound { get; set; } = true;

        /// <summary>The management network (CIDR) from which SSH is allowed, or null for none.</summary>
        public string ManagementNetwork { get; set; }
    }
}
