using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>A check that cannot be made here and now, listed with its reason so the verdict never hides that it is missing.</summary>
    public sealed class NotAvailableCheck : IRemoteAccessCheck
    {
        private readonly string reason;

        /// <summary>A check named <paramref name="name"/> on <paramref name="target"/> that reports <paramref name="reason"/>.</summary>
        public NotAvailableCheck(string name, string target, string reason)
        {
            Name = name;
            Target = target;
            this.reason = reason;
        }

        /// <inheritdoc />
        public string Name { get; }

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(RemoteAccessCheckResult.NotAvailable(Name, Target, reason));
    }
}
