using System.Management.Automation;

namespace RemoteOps.Loader
{
    /// <summary>Installs dependency isolation when the module is imported.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>Called by PowerShell on Import-Module.</summary>
        public void OnImport() => DependencyIsolation.Install();

        /// <summary>Called by PowerShell on Remove-Module; the last removal in the process uninstalls it.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyIsolation.Uninstall();
    }
}
