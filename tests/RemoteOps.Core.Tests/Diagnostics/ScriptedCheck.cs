using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Diagnostics;

namespace RemoteOps.Core.Tests.Diagnostics
{
    /// <summary>A check whose outcome the test decides.</summary>
    internal sealed class ScriptedCheck : IRemoteAccessCheck
    {
        private readonly Func<RemoteAccessRequest, CancellationToken, Task<RemoteAccessCheckResult>> run;

        internal ScriptedCheck(string name, string target, Func<RemoteAccessRequest, CancellationToken, Task<RemoteAccessCheckResult>> run)
        {
            Name = name;
            Target = target;
            this.run = run;
        }

        public string Name { get; }

        public string Target { get; }

        internal static ScriptedCheck Returning(string name, RemoteAccessCheckStatus status, RemoteAccessCause cause, string evidence = "seen") =>
            new ScriptedCheck(name, "appliance.test", (r, t) => Task.FromResult(new RemoteAccessCheckResult
            {
                Check = name,
                Target = "appliance.test",
                Status = status,
                Cause = cause,
                Evidence = evidence,
                NextStep = "step for " + cause,
            }));

        internal static ScriptedCheck Throwing(string name, Exception error) =>
            new ScriptedCheck(name, "appliance.test", (r, t) => Task.FromException<RemoteAccessCheckResult>(error));

        public Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken) => run(request, cancellationToken);
    }
}
