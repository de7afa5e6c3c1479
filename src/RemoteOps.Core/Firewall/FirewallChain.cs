namespace RemoteOps.Core.Firewall
{
    /// <summary>Which traffic a rule is checked against.</summary>
    public enum FirewallChain
    {
        /// <summary>Packets addressed to the firewall itself.</summary>
        Input,

        /// <summary>Packets the firewall routes between its networks.</summary>
        Forward,
    }
}
