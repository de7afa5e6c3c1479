using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// A real sign-in with the user's password, made by the driver the way the user's client signs
    /// in (capability VpnSignIn): the appliance's own answer says whether the password works, the
    /// account is locked out, or no session is free. The session it opens is signed out again.
    /// </summary>
    public sealed class VpnSignInCheck : IRemoteAccessCheck
    {
        private readonly IVpnSignIn vpn;

        /// <summary>Signs in on <paramref name="vpn"/>, named <paramref name="target"/> in the result.</summary>
        public VpnSignInCheck(IVpnSignIn vpn, string target)
        {
            this.vpn = vpn ?? throw new ArgumentNullException(nameof(vpn));
            Target = target;
        }

        /// <inheritdoc />
        public string Name => "SignIn";

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            if (request.Password == null)
            {
                return RemoteAccessCheckResult.NotAvailable(Name, Target, "No sign-in was tried: pass -Credential with the user's password to try one.");
            }

            VpnSignInResult result = await vpn.SignInAsync(request.UserName, request.Password, cancellationToken).ConfigureAwait(false);
            string user = request.UserName;
            switch (result.Outcome)
            {
                case VpnSignInOutcome.SignedIn:
                case VpnSignInOutcome.SignedInElsewhere:
                    return RemoteAccessCheckResult.Passed(Name, Target, result.Evidence);
                case VpnSignInOutcome.Refused:
                    // The page does not say whether the account is disabled: the VpnAccount check
                    // does, and the ranking puts a disabled account before a refused password.
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.WrongPassword, result.Evidence,
                        $"Confirm the caller's identity, then reset the password with Set-RoVpnUser -UserName {user} -ChangePasswordAtSignIn, giving a new one-time password as a SecureString (with -Connection for {Target}).");
                case VpnSignInOutcome.LockedOut:
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.AccountDisabled, result.Evidence,
                        $"The account {user} is locked out after too many wrong passwords: confirm the caller's identity, then wait for the lockout period of the authentication server to pass, or have a Connect Secure administrator clear the lockout on the appliance's console.");
                case VpnSignInOutcome.PasswordChangeRequired:
                    // The password was right: only a new one stands between the user and the VPN.
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.PasswordExpired, result.Evidence,
                        $"Have the user sign in once in a browser on the sign-in page of {Target} and choose a new password there; or set a one-time password with Set-RoVpnUser -UserName {user} -ChangePasswordAtSignIn, giving it as a SecureString (Read-Host -AsSecureString) (with -Connection for {Target}).");
                case VpnSignInOutcome.NoRoleMapped:
                    // The password was right: the appliance's rules, not the account, keep the user out.
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.NoAccessMapping, result.Evidence,
                        $"Have a Connect Secure administrator add a role-mapping rule to the sign-in realm of {Target} that maps {user} to a role with VPN access (Users > User Realms > the realm > Role Mapping); the VpnAccess check names the realm's rules.");
                case VpnSignInOutcome.NoFreeSession:
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.LicenceFull, result.Evidence,
                        $"Nobody else can sign in until sessions end: free idle sessions (Get-RoVpnSession | Disconnect-RoVpnSession) or raise the licence of {Target}; tell the user to try again later.");
                default:
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None, result.Evidence,
                        $"Check the sign-in page of {Target} in a browser; if it is customised, set the driver settings SignInUrl and SignInRealm (Connect-RoAppliance -Option).");
            }
        }
    }
}
