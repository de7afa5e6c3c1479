using System.Management.Automation;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Unlocks the SecurID token (or SMS, voice) of users locked after too many wrong codes.</summary>
    [Cmdlet(VerbsCommon.Unlock, "RoSecurIdUser", HelpUri = HelpLinks.CmdletReference + "Unlock-RoSecurIdUser.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SecurIdUserChange))]
    public sealed class UnlockRoSecurIdUserCommand : SecurIdCmdletBase
    {
        /// <summary>The users' e-mail addresses.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Email", "EmailAddress", "Mail", "Name", "User")]
        [AllowEmptyString]
        public string[] UserName { get; set; }

        /// <summary>The methods to unlock: TOKEN (default), SMS, VOICE.</summary>
        [Parameter]
        [ValidateSet("TOKEN", "SMS", "VOICE", IgnoreCase = true)]
        public string[] Method { get; set; } = { "TOKEN" };

        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing() => StartAudit(AuditLogPath);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string[] methods = Method;
            ChangeEach(UserName, $"Unlock SecurID {string.Join(", ", methods)}", (securId, name, token) => securId.UnlockAsync(name, methods, token));
        }
    }
}
