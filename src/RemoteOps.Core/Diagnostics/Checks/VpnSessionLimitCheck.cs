using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>The user's sessions on one appliance against its per-user limit ("too many sessions").</summary>
    public sealed class VpnSessionLimitCheck : IRemoteAccessCheck
    {
        private readonly IVpnAppliance vpn;

        /// <summary>Counts the user's sessions on <paramref name="vpn"/>.</summary>
        public VpnSessionLimitCheck(IVpnAppliance vpn)
        {
            this.vpn = vpn ?? throw new ArgumentNullException(nameof(vpn));
            Target = ApplianceTarget.Of(vpn);
        }

        /// <inheritdoc />
        public string Name => "Sessions";

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            IReadOnlyList<VpnSession> sessions = await vpn.GetSessionsAsync(request.UserName, cancellationToken).ConfigureAwait(false);
            int count = sessions.Count;
            var limits = vpn as IVpnSessionLimit;
            int? limit = limits?.MaximumSessionsPerUser;
            if (!limit.HasValue)
            {
                string why = limits == null ? $"{vpn.Info.Driver} does not report a per-user limit" : $"no per-user limit ({limits.SessionLimitSource})";
                return RemoteAccessCheckResult.Passed(Name, Target, $"{request.UserName} has {count} session(s); {why}.");
            }

            string evidence = $"{request.UserName} has {count} session(s); the limit is {limit.Value} per user ({limits.SessionLimitSource}).";
            if (count >= limit.Value)
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.TooManySessions, evidence,
                    $"Ask which devices are still connected, then end the old sessions: Get-RoVpnSession -UserName {request.UserName} | Disconnect-RoVpnSession (with -Connection for {Target}).");
            }

            return RemoteAccessCheckResult.Passed(Name, Target, evidence);
        }
    }
}
