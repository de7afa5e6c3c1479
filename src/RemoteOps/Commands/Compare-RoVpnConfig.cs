using System;
using System.IO;
using System.Management.Automation;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Commands
{
    /// <summary>Shows the lines that differ between two configuration backups, or a backup and the live appliance.</summary>
    [Cmdlet(VerbsData.Compare, "RoVpnConfig", HelpUri = HelpLinks.CmdletReference + "Compare-RoVpnConfig.md", DefaultParameterSetName = FilesSet)]
    [OutputType(typeof(ConfigDifference))]
    public sealed class CompareRoVpnConfigCommand : VpnCmdletBase
    {
        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.ConfigBackup;

        private const string FilesSet = "Files";
        private const string LiveSet = "Live";

        /// <summary>The older backup, from Export-RoVpnConfig.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string ReferencePath { get; set; }

        /// <summary>The newer backup; omit it (with -Live) to compare against the appliance as it is now.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = FilesSet)]
        [ValidateNotNullOrEmpty]
        public string DifferencePath { get; set; }

        /// <summary>Compare against the live appliance of -Connection (or the default connection).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiveSet)]
        public SwitchParameter Live { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            ConfigBackup reference = ReadBackup(ReferencePath);
            ConfigBackup difference;
            if (ParameterSetName == LiveSet)
            {
                ApplianceConnection connection = ResolvedConnection;
                difference = RunOrWriteError(token => Vpn.ExportConfigAsync(token), connection);
                if (difference == null)
                {
                    return;
                }
            }
            else
            {
                difference = ReadBackup(DifferencePath);
            }

            if (reference != null && difference != null)
            {
                WriteObject(ConfigDiff.Compare(reference, difference), enumerateCollection: true);
            }
        }

        private ConfigBackup ReadBackup(string path)
        {
            string resolved = LocalPaths.Resolve(this, path);
            try
            {
                return ConfigBackupFile.Read(resolved);
            }
            catch (Exception error) when (error is IOException || error is UnauthorizedAccessException || error is InvalidDataException || error is FormatException)
            {
                ThrowTerminatingError(new ErrorRecord(error, "InvalidVpnBackup", ErrorCategory.InvalidData, path));
                return null;
            }
        }
    }
}
