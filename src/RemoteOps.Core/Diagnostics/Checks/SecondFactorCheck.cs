using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Identity;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// The user's second factor on one service (capability SecondFactorUsers): the account is
    /// there and enabled, not locked, and at least one token or authenticator is assigned, enabled
    /// and unexpired. Works with any driver that implements <see cref="ISecondFactorDirectory"/>.
    /// </summary>
    public sealed class SecondFactorCheck : IRemoteAccessCheck
    {
        private readonly ISecondFactorDirectory directory;

        /// <summary>Checks the user on <paramref name="directory"/>.</summary>
        public SecondFactorCheck(ISecondFactorDirectory directory)
        {
            this.directory = directory ?? throw new ArgumentNullException(nameof(directory));
            Target = ApplianceTarget.Of(directory);
        }

        /// <inheritdoc />
        public string Name => "SecondFactor";

        /// <inheritdoc />
        public string Target { get; }

        // Wording note: evidence and next steps pass through the secret redactor, which masks
        // whatever follows "token:" or "password=", so neither form is used here.

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            string name = request.UserName;
            SecondFactorUser user;
            try
            {
                user = await directory.GetSecondFactorUserAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (ApplianceException error) when (error.Kind == ApplianceErrorKind.NotFound)
            {
                user = null;
            }

            if (user == null)
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.SecondFactorUserNotFound,
                    $"No user '{name}' on {Target}.",
                    $"Check the spelling; if the user is new, have the identity team add {name} to {Target} (or its directory sync) and assign a token.");
            }

            string id = string.IsNullOrEmpty(user.Id) ? string.Empty : $" (id {user.Id})";
            if (!user.Enabled)
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.SecondFactorDisabled,
                    $"User '{name}'{id} is disabled on {Target}.",
                    $"Find out why {name} was disabled, then enable the user on {Target} (its administration console{id}).");
            }

            DateTimeOffset now = request.Now();
            var usable = user.Authenticators.Where(a => a.Enabled && (!a.ExpiresOn.HasValue || a.ExpiresOn.Value > now)).ToList();
            string tokens = user.Authenticators.Count == 0
                ? "no token or authenticator assigned"
                : string.Join(", ", user.Authenticators.Select(a => $"{a.Kind} {a.Identifier}{(a.Enabled ? string.Empty : " disabled")}{(a.ExpiresOn.HasValue && a.ExpiresOn.Value <= now ? " expired " + a.ExpiresOn.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}"));

            if (user.Locked)
            {
                string methods = user.LockedMethods.Count == 0 ? string.Empty : $" ({string.Join(", ", user.LockedMethods)} locked)";
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.TokenLocked,
                    $"User '{name}'{id} is locked on {Target}{methods}; {tokens}.",
                    $"Confirm the caller's identity, then unlock the user's token with Unlock-RoSecurIdUser {name}");
            }

            if (usable.Count == 0)
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.NoTokenAssigned,
                    $"User '{name}'{id} is enabled on {Target} but has no usable token or authenticator ({tokens}).",
                    $"Assign (or enable, or replace the expired) token or authenticator of {name} on {Target}.");
            }

            return RemoteAccessCheckResult.Passed(Name, Target, $"User '{name}'{id} is enabled and not locked; {tokens}.");
        }
    }
}
