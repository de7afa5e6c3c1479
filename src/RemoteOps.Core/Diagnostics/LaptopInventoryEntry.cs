namespace RemoteOps.Core.Diagnostics
{
    /// <summary>One laptop of one user in a <see cref="LaptopInventory"/>.</summary>
    public sealed class LaptopInventoryEntry
    {
        /// <summary>An entry read from line <paramref name="line"/>.</summary>
        public LaptopInventoryEntry(string userName, string computerName, int port, int line)
        {
            UserName = userName;
            ComputerName = computerName;
            Port = port;
            Line = line;
        }

        /// <summary>The user, as they sign in to the VPN.</summary>
        public string UserName { get; }

        /// <summary>The laptop's host name or address, reachable over SSH from where the command runs.</summary>
        public string ComputerName { get; }

        /// <summary>Its SSH port.</summary>
        public int Port { get; }

        /// <summary>The line of the inventory it was read from.</summary>
        public int Line { get; }
    }
}
