using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Identity;

namespace RemoteOps.Core.Tests.Diagnostics
{
    /// <summary>An in-process second-factor service: the users it knows, and how often it was asked.</summary>
    internal sealed class FakeSecondFactorDirectory : ISecondFactorDirectory
    {
        internal Dictionary<string, SecondFactorUser> Users { get; } = new Dictionary<string, SecondFactorUser>();

        internal int Lookups { get; private set; }

        public ApplianceInfo Info { get; } = new ApplianceInfo { Driver = "FakeSecondFactor", Address = "mfa.test", Name = "mfa", Version = "1" };

        public ApplianceCapabilities Capabilities => ApplianceCapabilities.SecondFactorUsers;

        public Task<SecondFactorUser> GetSecondFactorUserAsync(string userName, CancellationToken cancellationToken)
        {
            Lookups++;
            if (!Users.TryGetValue(userName, out SecondFactorUser user))
            {
                throw new ApplianceException(ApplianceErrorKind.NotFound, $"No user '{userName}'.");
            }

            return Task.FromResult(user);
        }

        public void Dispose()
        {
        }
    }
}
