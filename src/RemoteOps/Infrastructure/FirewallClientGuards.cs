using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// The client-side confirm windows of one runspace, like its appliance connections: a job or
    /// a parallel runbook never confirms or rolls back another one's change, and the windows end
    /// (their timers stop) when the runspace closes.
    /// </summary>
    internal static class FirewallClientGuards
    {
        private static readonly ConditionalWeakTable<Runspace, FirewallClientGuard> PerRunspace = new ConditionalWeakTable<Runspace, FirewallClientGuard>();

        /// <summary>The guard of the runspace the cmdlet runs in.</summary>
        internal static FirewallClientGuard Current()
        {
            Runspace runspace = Runspace.DefaultRunspace ?? throw new InvalidOperationException("RemoteOps firewall changes need a PowerShell runspace.");
            return PerRunspace.GetValue(runspace, Create);
        }

        private static FirewallClientGuard Create(Runspace runspace)
        {
            var guard = new FirewallClientGuard();
            runspace.StateChanged += (sender, e) =>
            {
                if (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken)
                {
                    guard.Dispose();
                }
            };
            return guard;
        }
    }
}
