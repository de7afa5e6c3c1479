namespace RemoteOps.Core.Vpn
{
    /// <summary>The rules an appliance uses to give a signed-in user access, as read by its driver.</summary>
    public abstract class VpnAccessRules
    {
        /// <summary>Where the rules were read, for evidence ("realm 'Users'", "vpn.ssl settings").</summary>
        public abstract string Source { get; }

        /// <summary>What the rules give <paramref name="user"/>.</summary>
        public abstract VpnAccessMapping MappingFor(VpnUser user);
    }
}
