using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>The user's VPN account on one appliance: there, and enabled (not locked).</summary>
    public sealed class VpnAccountCheck : IRemoteAccessCheck
    {
        private readonly IVpnAppliance vpn;

        /// <summary>Checks the account on <paramref name="vpn"/>.</summary>
        public VpnAccountCheck(IVpnAppliance vpn)
        {
            this.vpn = vpn ?? throw new ArgumentNullException(nameof(vpn));
            Target = ApplianceTarget.Of(vpn);
        }

        /// <inheritdoc />
        public string Name => "VpnAccount";

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            VpnUser user = await vpn.FindUserAsync(request.UserName, cancellationToken).ConfigureAwait(false);
            if (user == null)
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountNotFound,
                    $"No local VPN user '{request.UserName}' on {Target}.",
                    $"Check the spelling of the user name; if the account is missing, create it: New-RoVpnUser -UserName {request.UserName} (with -Connection for {Target}).");
            }

            string groups = user.Groups.Length == 0 ? "no groups" : (vpn.SupportsUserGroups ? "groups " : "realm/roles ") + string.Join(", ", user.Groups);
            if (!user.Enabled)
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountDisabled,
                    $"User '{user.UserName}' exists on {Target} but is disabled or locked ({groups}).",
                    $"Find out why the account was disabled (Get-RoAuditLog), then enable it: Set-RoVpnUser -UserName {user.UserName} -Enabled (with -Connection for {Target}).");
            }

            return RemoteAccessCheckResult.Passed(Name, Target, $"User '{user.UserName}' exists and is enabled ({groups}); password expiry is not reported by {vpn.Info.Driver}.");
        }
    }
}
