using System;
using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Runs a command on many hosts over SSH, in parallel, one result per host.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "RoSshCommand", HelpUri = HelpLinks.CmdletReference + "Invoke-RoSshCommand.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(SshCommandResult))]
    public sealed class InvokeRoSshCommandCommand : SshWorkCmdletBase<SshCommandResult>
    {
        private string commandLine;

        /// <summary>The command line run by the remote user's shell.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Command { get; set; }

        /// <summary>Values appended to -Command, each quoted for the POSIX shell so that nothing in them is interpreted.</summary>
        [Parameter]
        [AllowEmptyString]
        public string[] ArgumentList { get; set; }

        /// <summary>Run the command through 'sudo -n', which fails instead of prompting for a password.</summary>
        [Parameter]
        public SwitchParameter Sudo { get; set; }

        /// <inheritdoc />
        protected override string ProgressActivity => "Invoke-RoSshCommand";

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            try
            {
                commandLine = ArgumentList == null || ArgumentList.Length == 0
                    ? Command
                    : Command + " " + string.Join(" ", ArgumentList.Select(PosixShell.Quote));
                RemoteCommandLine.Validate(commandLine, Sudo.IsPresent, stoppable: true);
            }
            catch (ArgumentException error)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("InvalidCommand", error.Message, Redacted(Command), error));
            }

            base.BeginProcessing();
            Audit.RequireWritable();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (ISshSessionSource source in SourcesOfThisRecord())
            {
                SshTarget target = source.Target;
                if (!ShouldProcess(target.ToString(), $"Run '{Redacted(commandLine)}'"))
                {
                    continue;
                }

                TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSec);
                bool sudo = Sudo.IsPresent;
                string line = commandLine;
                Schedule(
                    token => SshHostWork.RunCommandAsync(source, line, timeout, sudo, token),
                    error => SshHostWork.CommandFaulted(target, error));
            }
        }

        /// <inheritdoc />
        protected override void AuditHostResult(SshCommandResult result)
        {
            AuditRecordedHostKey(result.ComputerName, result.Port, result.HostKeyRecorded, result.HostKeyFingerprint);
            Audit.Record($"{result.UserName}@{result.ComputerName}:{result.Port}", "Invoke-RoSshCommand", result.Status.ToString(), SshHostWork.AuditDetail(commandLine, result));
        }

        /// <inheritdoc />
        protected override void WriteHostResult(SshCommandResult result)
        {
            result.Message = Redacted(result.Message);
            WriteHostOutcome(result);
        }

        private string Redacted(string text) => text == null ? null : Core.Audit.AuditLog.Redact(text, SecretsInParameters());
    }
}
