using System.Management.Automation;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Enables SecurID users (userStatus); a user already so is left alone and reported NoChange.</summary>
    [Cmdlet(VerbsLifecycle.Enable, "RoSecurIdUser", HelpUri = HelpLinks.CmdletReference + "Enable-RoSecurIdUser.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SecurIdUserChange))]
    public sealed class EnableRoSecurIdUserCommand : SecurIdCmdletBase
    {
        /// <summary>The users' e-mail addresses.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Email", "EmailAddress", "Mail", "Name", "User")]
        [AllowEmptyString]
        public string[] UserName { get; set; }

        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing() => StartAudit(AuditLogPath);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ChangeEach(UserName, "Enable SecurID user", (securId, name, token) => securId.SetUserEnabledAsync(name, true, token));
        }
    }
}
