using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Tests.Diagnostics
{
    /// <summary>Access rules that answer the same for everybody.</summary>
    internal sealed class FixedAccessRules : VpnAccessRules
    {
        private readonly VpnAccessMapping answer;

        internal FixedAccessRules(VpnAccessMapping answer)
        {
            this.answer = answer;
        }

        public override string Source => "realm 'Users'";

        public override VpnAccessMapping MappingFor(VpnUser user) => answer;
    }
}
