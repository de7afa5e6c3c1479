namespace RemoteOps.Core.Hosts
{
    /// <summary>Where a held connection stands.</summary>
    public enum HeldConnectionState
    {
        /// <summary>Not opened yet; the first use opens it.</summary>
        NotOpened,

        /// <summary>Open, or dropped by the far end and to be reconnected once on its next use.</summary>
        Opened,

        /// <summary>A reconnect failed; the connection is not used again.</summary>
        Broken,

        /// <summary>Closed by its owner.</summary>
        Closed,
    }
}
