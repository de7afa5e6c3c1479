using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// The user's laptop against the baseline. This RemoteOps cannot check it yet, so it says so
    /// plainly instead of guessing: the result is NotAvailable with the reason.
    /// </summary>
    public sealed class LaptopComplianceCheck : IRemoteAccessCheck
    {
        /// <inheritdoc />
        public string Name => "LaptopCompliance";

        /// <inheritdoc />
        public string Target => "user's laptop";

        /// <inheritdoc />
        public Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(RemoteAccessCheckResult.NotAvailable(Name, Target,
                "This version of RemoteOps cannot check a laptop's compliance yet; the laptop was not checked."));
    }
}
