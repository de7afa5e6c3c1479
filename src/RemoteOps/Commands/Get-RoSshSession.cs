using System.Management.Automation;
using RemoteOps.Core.Ssh;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Lists the held SSH sessions of this runspace, all or those matching -ComputerName, -Id or -Name.</summary>
    [Cmdlet(VerbsCommon.Get, "RoSshSession", HelpUri = HelpLinks.CmdletReference + "Get-RoSshSession.md", DefaultParameterSetName = ComputerNameSet)]
    [OutputType(typeof(HeldSshSession))]
    public sealed class GetRoSshSessionCommand : PSCmdlet
    {
        private const string ComputerNameSet = "ComputerName";
        private const string IdSet = "Id";
        private const string NameSet = "Name";

        /// <summary>Host names to list the sessions of; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ComputerNameSet)]
        [Alias("CN")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] ComputerName { get; set; }

        /// <summary>Session Ids, as shown by Get-RoSshSession.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IdSet)]
        [ValidateNotNullOrEmpty]
        public int[] Id { get; set; }

        /// <summary>Session names; wildcards allowed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (HeldSshSession session in RunspaceSshSessions.Current.Find(Id, Name, ComputerName))
            {
                WriteObject(session);
            }
        }
    }
}
