using System.Management.Automation;

namespace RemoteOps.Infrastructure
{
    /// <summary>Closes this runspace's appliance connections and held SSH sessions when the module is removed from it.</summary>
    public sealed class ModuleCleanup : IModuleAssemblyCleanup
    {
        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            ApplianceConnections.CloseInCurrentRunspace();
            RunspaceSshSessions.CurrentIfAny?.CloseAll();
        }
    }
}
