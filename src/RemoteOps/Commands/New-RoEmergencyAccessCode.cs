using System.Management.Automation;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>
    /// Issues a SecurID emergency access code for a user who lost their token. The code is in
    /// the output only as a SecureString, shown once with .RevealOnce(); it never reaches the
    /// audit log, the verbose stream or an error.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "RoEmergencyAccessCode", HelpUri = HelpLinks.CmdletReference + "New-RoEmergencyAccessCode.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(EmergencyAccessCode))]
    public sealed class NewRoEmergencyAccessCodeCommand : SecurIdCmdletBase
    {
        /// <summary>The users' e-mail addresses.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Email", "EmailAddress", "Mail", "Name", "User")]
        [AllowEmptyString]
        public string[] UserName { get; set; }

        /// <summary>Days the code stays valid, 1 to 7 (default 1).</summary>
        [Parameter]
        [ValidateRange(1, 7)]
        public int ExpirationDays { get; set; } = 1;

        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing() => StartAudit(AuditLogPath);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string name in UserName)
            {
                if (!AcceptUserName(name))
                {
                    continue;
                }

                SecurIdAppliance securId = SecurId;
                string target = $"{name}@{ResolvedConnection.Address}";
                if (!ShouldProcess(target, $"Issue a SecurID emergency access code valid for {ExpirationDays} day(s)"))
                {
                    continue;
                }

                int days = ExpirationDays;
                EmergencyAccessCode code = RunOrWriteError(token => securId.NewEmergencyAccessCodeAsync(name, days, token), name);
                if (code == null)
                {
                    Audit.Record(target, "New-RoEmergencyAccessCode", "Failed");
                    continue;
                }

                // The record names the code by its id only.
                Audit.Record(target, "New-RoEmergencyAccessCode", "Created", $"code id {code.CodeId}, expires {code.ExpiresOn:u}");
                WriteVerbose($"Issued emergency access code {code.CodeId} for {name}, valid until {code.ExpiresOn:u}; show it once with .RevealOnce().");
                WriteObject(code);
            }
        }
    }
}
