using System.IO;
using System.Management.Automation;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Commands
{
    /// <summary>Writes a configuration backup of the appliance to a file.</summary>
    [Cmdlet(VerbsData.Export, "RoVpnConfig", HelpUri = HelpLinks.CmdletReference + "Export-RoVpnConfig.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportRoVpnConfigCommand : VpnCmdletBase
    {
        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.ConfigBackup;

        /// <summary>The backup file to write (JSON); an existing file is replaced atomically.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            ApplianceConnection connection = ResolvedConnection;
            string path = LocalPaths.Resolve(this, Path);
            if (!ShouldProcess(path, $"Write a configuration backup of {connection}"))
            {
                return;
            }

            var backup = RunOrWriteError(token => Vpn.ExportConfigAsync(token), connection);
            if (backup == null)
            {
                return;
            }

            try
            {
                ConfigBackupFile.Write(backup, path);
            }
            catch (System.Exception error) when (error is IOException || error is System.UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(error, "BackupWriteFailed", ErrorCategory.WriteError, path));
            }

            WriteObject(new FileInfo(path));
        }
    }
}
