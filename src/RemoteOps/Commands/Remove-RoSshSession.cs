using System.Collections.Generic;
using System.Management.Automation;
using RemoteOps.Core.Ssh;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Closes held SSH sessions and takes them off this runspace's list.</summary>
    [Cmdlet(VerbsCommon.Remove, "RoSshSession", HelpUri = HelpLinks.CmdletReference + "Remove-RoSshSession.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(void))]
    public sealed class RemoveRoSshSessionCommand : PSCmdlet
    {
        private const string SessionSet = "Session";
        private const string ComputerNameSet = "ComputerName";
        private const string IdSet = "Id";
        private const string NameSet = "Name";

        /// <summary>The sessions to close, from New-RoSshSession or Get-RoSshSession.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = SessionSet)]
        [ValidateNotNullOrEmpty]
        public HeldSshSession[] Session { get; set; }

        /// <summary>Session Ids to close.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IdSet)]
        [ValidateNotNullOrEmpty]
        public int[] Id { get; set; }

        /// <summary>Names of the sessions to close (New-RoSshSession -Name); wildcards allowed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        /// <summary>Hosts whose sessions to close; wildcards allowed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ComputerNameSet)]
        [Alias("CN")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] ComputerName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            SshSessionRegistry registry = RunspaceSshSessions.Current;
            IEnumerable<HeldSshSession> chosen = ParameterSetName == SessionSet
                ? Session
                : registry.Find(ParameterSetName == IdSet ? Id : null, ParameterSetName == NameSet ? Name : null, ParameterSetName == ComputerNameSet ? ComputerName : null);
            foreach (HeldSshSession session in chosen)
            {
                if (session != null && ShouldProcess(session.ToString(), "Close the SSH session"))
                {
                    registry.Remove(session);
                }
            }
        }
    }
}
