using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// Whether the appliance's rules give the user VPN access once signed in: the sign-in realm's
    /// role-mapping rules (Connect Secure) or the SSL-VPN authentication rules and the firewall
    /// policies from ssl.root (FortiGate). The rules are read at the same time as the user (shared
    /// with the account check).
    /// </summary>
    public sealed class VpnAccessCheck : IRemoteAccessCheck
    {
        private readonly VpnUserLookup lookup;
        private readonly IVpnAccessMapping mapping;

        /// <summary>Evaluates <paramref name="mapping"/> for the user <paramref name="lookup"/> reads.</summary>
        public VpnAccessCheck(VpnUserLookup lookup, IVpnAccessMapping mapping)
        {
            this.lookup = lookup ?? throw new ArgumentNullException(nameof(lookup));
            this.mapping = mapping ?? throw new ArgumentNullException(nameof(mapping));
            Target = ApplianceTarget.Of(lookup.Appliance);
        }

        /// <inheritdoc />
        public string Name => "VpnAccess";

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            Task<VpnAccessRules> reading = mapping.ReadAccessRulesAsync(cancellationToken);
            Task<VpnUser> finding = lookup.FindAsync(request.UserName, cancellationToken);
            await Task.WhenAll(reading, finding).ConfigureAwait(false);
            VpnUser user = finding.Result;
            VpnAccessRules rules = reading.Result;
            if (user == null)
            {
                return RemoteAccessCheckResult.NotAvailable(Name, Target, $"There is no user '{request.UserName}' on {Target} whose access could be evaluated (see the VpnAccount check).");
            }

            VpnAccessMapping answer = rules.MappingFor(user);
            switch (answer.GrantsAccess)
            {
                case true:
                    return RemoteAccessCheckResult.Passed(Name, Target, $"{rules.Source}: {answer.Explanation}");
                case false:
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.NoAccessMapping,
                        $"{rules.Source}: {answer.Explanation}", NextStep(lookup.Appliance, user, rules));
                default:
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None,
                        $"{rules.Source}: {answer.Explanation}",
                        $"Check on the appliance's console which rule gives {user.UserName} access; RemoteOps could not evaluate every rule.");
            }
        }

        private string NextStep(IVpnAppliance vpn, VpnUser user, VpnAccessRules rules)
        {
            if (vpn.SupportsUserGroups)
            {
                // -Group is the whole list: the user's groups now are named too, or they would be lost.
                string keep = string.Concat(user.Groups.Select(g => "'" + g.Replace("'", "''") + "', "));
                return $"Add {user.UserName} to a group that an SSL-VPN authentication rule (or the default portal) and an enabled accept firewall policy from ssl.root both allow, keeping the groups the user is in: Set-RoVpnUser -UserName {user.UserName} -Group {keep}<group of the rule and policy> (with -Connection for {Target}); or have a firewall administrator add the user's group to a rule and a policy ({rules.Source}).";
            }

            return $"Have a Connect Secure administrator add a role-mapping rule to {rules.Source} that maps {user.UserName} to a role with VPN access (Users > User Realms > the realm > Role Mapping: rule on user name 'is' {user.UserName}, or '*'), or move the user to the auth server that realm uses.";
        }
    }
}
