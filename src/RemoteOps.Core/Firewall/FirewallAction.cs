namespace RemoteOps.Core.Firewall
{
    /// <summary>What a firewall rule does with the packets it matches.</summary>
    public enum FirewallAction
    {
        /// <summary>Let the packet through.</summary>
        Accept,

        /// <summary>Discard the packet silently: the sender waits until it gives up.</summary>
        Drop,

        /// <summary>Discard the packet and tell the sender (TCP reset, else ICMP unreachable), so a connection fails at once.</summary>
        Reject,
    }
}
