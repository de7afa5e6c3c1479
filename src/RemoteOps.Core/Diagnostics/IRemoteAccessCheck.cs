using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Diagnostics
{
    /// <summary>
    /// One check of Test-RoRemoteAccess against one target. A check returns its result and may
    /// throw: <see cref="RemoteAccessDiagnosis"/> turns a failure into a CouldNotRun result, so
    /// one check that cannot run never hides the others.
    /// </summary>
    public interface IRemoteAccessCheck
    {
        /// <summary>The check's stable name.</summary>
        string Name { get; }

        /// <summary>What it checks ("ocserv 198.18.2.11", "https://vpn.example:443").</summary>
        string Target { get; }

        /// <summary>Runs the check for the request's user.</summary>
        Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken);
    }
}
