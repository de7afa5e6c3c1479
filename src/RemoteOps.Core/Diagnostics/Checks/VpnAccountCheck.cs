using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// The user's VPN account on one appliance: there, enabled (not locked), its password not
    /// expired and no new password demanded at sign-in. What the driver cannot tell is said in the
    /// evidence, never passed over.
    /// </summary>
    public sealed class VpnAccountCheck : IRemoteAccessCheck
    {
        private readonly VpnUserLookup lookup;

        /// <summary>Checks the account on <paramref name="vpn"/>.</summary>
        public VpnAccountCheck(IVpnAppliance vpn)
            : this(new VpnUserLookup(vpn))
        {
        }

        /// <summary>Checks the account that <paramref name="lookup"/> reads (shared with the access check).</summary>
        public VpnAccountCheck(VpnUserLookup lookup)
        {
            this.lookup = lookup ?? throw new ArgumentNullException(nameof(lookup));
            Target = ApplianceTarget.Of(lookup.Appliance);
        }

        /// <inheritdoc />
        public string Name => "VpnAccount";

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            IVpnAppliance vpn = lookup.Appliance;
            VpnUser user = await lookup.FindAsync(request.UserName, cancellationToken).ConfigureAwait(false);
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

            string password = PasswordState(user, vpn.Info.Driver);
            if (user.PasswordExpired == true)
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.PasswordExpired,
                    $"User '{user.UserName}' exists and is enabled on {Target} ({groups}), but {password}.",
                    NewPasswordStep(user, Target));
            }

            if (user.MustChangePassword == true)
            {
                // The web sign-in asks for a new password first; clients that cannot show that page
                // (tunnel-only clients, openconnect) fail until it has been chosen.
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Warning, RemoteAccessCause.PasswordExpired,
                    $"User '{user.UserName}' exists and is enabled on {Target} ({groups}), but {password}.",
                    $"Have the user sign in once in a browser on the VPN's sign-in page and choose a new password; or set one for them with Set-RoVpnUser -UserName {user.UserName}, giving the new password as a SecureString (Read-Host -AsSecureString) (with -Connection for {Target}).");
            }

            return RemoteAccessCheckResult.Passed(Name, Target, $"User '{user.UserName}' exists and is enabled ({groups}); {password}.");
        }

        // Where the appliance keeps a "change at sign-in" flag, the new password is one-time and the
        // user chooses their own; elsewhere the help desk hands over the one it set. The text never
        // writes the -Password parameter with a value after it: evidence and next steps go
        // through the secret redactor, which masks whatever follows -Password.
        internal static string NewPasswordStep(VpnUser user, string target) =>
            user.MustChangePassword.HasValue
                ? $"Set a new one-time password with Set-RoVpnUser -UserName {user.UserName} -ChangePasswordAtSignIn, giving the new password as a SecureString (Read-Host -AsSecureString) (with -Connection for {target}); give it to the user by a separate channel."
                : $"Set a new password, which starts a new password lifetime, with Set-RoVpnUser -UserName {user.UserName}, giving the new password as a SecureString (Read-Host -AsSecureString) (with -Connection for {target}); give it to the user by a separate channel.";

        private static string PasswordState(VpnUser user, string driver)
        {
            string expiry;
            switch (user.PasswordExpired)
            {
                case true:
                    expiry = "the password has expired" + (user.PasswordExpires.HasValue ? " (on " + Day(user.PasswordExpires.Value) + ")" : string.Empty);
                    break;
                case false:
                    expiry = user.PasswordExpires.HasValue ? "the password is valid until " + Day(user.PasswordExpires.Value) : "the password does not expire";
                    break;
                default:
                    expiry = $"password expiry is not reported by {driver}";
                    break;
            }

            switch (user.MustChangePassword)
            {
                case true:
                    return expiry + "; the user must choose a new password at the next sign-in (change-password-at-signin is set)";
                case false:
                    return expiry + "; no new password is demanded at sign-in";
                default:
                    return expiry;
            }
        }

        private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    }
}
