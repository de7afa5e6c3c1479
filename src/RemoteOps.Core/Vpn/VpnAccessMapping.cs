using System;

namespace RemoteOps.Core.Vpn
{
    /// <summary>What an appliance's access rules give one user: roles (Connect Secure) or a portal (FortiGate).</summary>
    public sealed class VpnAccessMapping
    {
        private VpnAccessMapping(bool? grantsAccess, string[] grants, string explanation)
        {
            GrantsAccess = grantsAccess;
            Grants = grants ?? new string[0];
            Explanation = explanation;
        }

        /// <summary>True when a rule gives the user access, false when none does, null when the rules cannot be evaluated here.</summary>
        public bool? GrantsAccess { get; }

        /// <summary>The roles or portal the user gets; empty when none.</summary>
        public string[] Grants { get; }

        /// <summary>Which rules matched or why none did, in plain words.</summary>
        public string Explanation { get; }

        /// <summary>Rules give the user <paramref name="grants"/>.</summary>
        public static VpnAccessMapping Granted(string[] grants, string explanation) =>
            new VpnAccessMapping(true, grants ?? throw new ArgumentNullException(nameof(grants)), explanation);

        /// <summary>No rule gives the user access.</summary>
        public static VpnAccessMapping Denied(string explanation) => new VpnAccessMapping(false, null, explanation);

        /// <summary>The rules use conditions the driver cannot evaluate (directory groups, attributes...).</summary>
        public static VpnAccessMapping Unknown(string explanation) => new VpnAccessMapping(null, null, explanation);
    }
}
