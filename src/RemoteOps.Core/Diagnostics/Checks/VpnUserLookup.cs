using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// One read of a user on one appliance, shared by the checks that need it (the account and its
    /// access mapping), so that running both costs the appliance no second read.
    /// </summary>
    public sealed class VpnUserLookup
    {
        private readonly object gate = new object();
        private string userName;
        private Task<VpnUser> found;

        /// <summary>Looks users up on <paramref name="vpn"/>.</summary>
        public VpnUserLookup(IVpnAppliance vpn)
        {
            Appliance = vpn ?? throw new ArgumentNullException(nameof(vpn));
        }

        /// <summary>The appliance asked.</summary>
        public IVpnAppliance Appliance { get; }

        /// <summary>
        /// The user, or null when there is none; read once per user name. The read is not tied to
        /// the token of the check that asked first: a check that stops waiting (its time is up)
        /// must not cancel the read another check still waits for.
        /// </summary>
        public Task<VpnUser> FindAsync(string name, CancellationToken cancellationToken)
        {
            Task<VpnUser> read;
            lock (gate)
            {
                if (found == null || !string.Equals(userName, name, StringComparison.Ordinal))
                {
                    userName = name;
                    found = Appliance.FindUserAsync(name, CancellationToken.None);
                }

                read = found;
            }

            return AbandonableWait.WaitAsync(read, cancellationToken);
        }
    }
}
