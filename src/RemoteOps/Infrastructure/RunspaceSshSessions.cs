using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// The held SSH sessions of each runspace. Each runspace has its own list, so two runbooks
    /// running in parallel (jobs, thread jobs, runspace pools) never see or close each other's
    /// sessions; the list closes its sessions when its runspace closes or breaks.
    /// </summary>
    /// <remarks>
    /// The table is keyed weakly by the runspace: it holds no runspace alive and forgets a
    /// runspace once it is gone; no list is shared between runspaces.
    /// </remarks>
    internal static class RunspaceSshSessions
    {
        private static readonly ConditionalWeakTable<Runspace, SshSessionRegistry> Registries = new ConditionalWeakTable<Runspace, SshSessionRegistry>();

        /// <summary>The session list of the runspace the calling cmdlet runs in, created on first use.</summary>
        internal static SshSessionRegistry Current => Registries.GetValue(CurrentRunspace(), CreateFor);

        /// <summary>The session list of the current runspace, or null when it never had one.</summary>
        internal static SshSessionRegistry CurrentIfAny
        {
            get
            {
                Runspace runspace = Runspace.DefaultRunspace;
                return runspace != null && Registries.TryGetValue(runspace, out SshSessionRegistry registry) ? registry : null;
            }
        }

        private static Runspace CurrentRunspace() => Runspace.DefaultRunspace
            ?? throw new InvalidOperationException("Held SSH sessions need a PowerShell runspace; none is current on this thread.");

        private static SshSessionRegistry CreateFor(Runspace runspace)
        {
            var registry = new SshSessionRegistry();
            runspace.StateChanged += (sender, e) =>
            {
                RunspaceState state = e.RunspaceStateInfo.State;
                if (state == RunspaceState.Closing || state == RunspaceState.Closed || state == RunspaceState.Broken)
                {
                    registry.CloseAll();
                }
            };
            return registry;
        }
    }
}
