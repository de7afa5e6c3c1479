using System.Collections.Generic;

namespace RemoteOps.Core.Vpn.ConnectSecure
{
    /// <summary>
    /// Decodes the Connect Secure cluster status bits (ICS 22.x "cluster status codes" table).
    /// The table gives two meanings to 0x002000 (owns the VIPs / syncing state to a joining
    /// node); RemoteOps reads it as VIP ownership only on the leader of an enabled cluster and
    /// reports both readings in the words.
    /// </summary>
    internal static class ClusterStatusCode
    {
        private static readonly KeyValuePair<int, string>[] Bits =
        {
            new KeyValuePair<int, string>(0x000001, "standalone"),
            new KeyValuePair<int, string>(0x000002, "cluster disabled"),
            new KeyValuePair<int, string>(0x000004, "cluster enabled"),
            new KeyValuePair<int, string>(0x000008, "unreachable"),
            new KeyValuePair<int, string>(0x000100, "syncing from peer"),
            new KeyValuePair<int, string>(0x000200, "transitioning"),
            new KeyValuePair<int, string>(0x001000, "configured member"),
            new KeyValuePair<int, string>(0x002000, "owns VIPs or syncing to a joining node"),
            new KeyValuePair<int, string>(0x004000, "initial sync"),
            new KeyValuePair<int, string>(0x008000, "leader"),
            new KeyValuePair<int, string>(0x010000, "group communication functional"),
            new KeyValuePair<int, string>(0x020000, "int0 gateway ARP failed or group communication disconnected"),
            new KeyValuePair<int, string>(0x040000, "int1 gateway ARP failed or mgmt0 disconnected"),
            new KeyValuePair<int, string>(0x080000, "leader election or mgmt gateway unreachable"),
        };

        internal static VpnClusterNode Decode(string name, string address, int code)
        {
            var words = new List<string>();
            foreach (var bit in Bits)
            {
                if ((code & bit.Key) != 0)
                {
                    words.Add(bit.Value);
                }
            }

            bool leader = (code & 0x008000) != 0;
            bool standalone = (code & 0x000001) != 0;
            return new VpnClusterNode
            {
                Name = name,
                Address = address,
                StatusCode = code,
                Status = words.ToArray(),
                Role = standalone ? "Standalone" : leader ? "Leader" : "Member",
                OwnsVip = (code & 0x002000) != 0 && (leader || standalone),
                Reachable = (code & 0x000008) == 0,
            };
        }
    }
}
