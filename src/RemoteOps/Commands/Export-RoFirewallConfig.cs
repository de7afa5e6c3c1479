using System;
using System.Management.Automation;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Saves the rules RemoteOps manages on a firewall: in the device's own format and as a policy file Set-RoFirewallPolicy -Path reads back.</summary>
    [Cmdlet(VerbsData.Export, "RoFirewallConfig", HelpUri = HelpLinks.CmdletReference + "Export-RoFirewallConfig.md")]
    [OutputType(typeof(FirewallConfigExport))]
    public sealed class ExportRoFirewallConfigCommand : FirewallCmdletBase
    {
        /// <summary>The folder to write the two files to (created when missing).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The files' base name; by default the device's name.</summary>
        [Parameter]
        [ValidatePattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
        public string BaseName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IFirewall firewall = Firewall;
            FirewallPolicy policy = RunOrStop(token => firewall.GetPolicyAsync(token), ResolvedConnection);
            string text = RunOrStop(token => firewall.ExportPolicyAsync(token), ResolvedConnection);
            string directory = LocalPaths.Resolve(this, Path);
            try
            {
                WriteObject(FirewallConfigExport.WriteInFolder(firewall, directory, BaseName ?? FirewallConfigExport.BaseName(firewall), text, policy));
            }
            catch (Exception error) when (error is System.IO.IOException || error is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(error, "FirewallExportNotWritten", ErrorCategory.WriteError, directory));
            }
        }
    }
}
