using System.Management.Automation;
using System.Security;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>
    /// Checks a user's SecurID code with a real initialize/verify round trip of the
    /// Authentication API. The code is taken only as a SecureString and never echoed; a wrong
    /// code counts towards the user's lockout like any other, so the test is audited.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "RoSecurIdCode", HelpUri = HelpLinks.CmdletReference + "Test-RoSecurIdCode.md", DefaultParameterSetName = CodeSet)]
    [OutputType(typeof(SecurIdCodeTestResult))]
    public sealed class TestRoSecurIdCodeCommand : SecurIdCmdletBase
    {
        private const string CodeSet = "Code";
        private const string CredentialSet = "Credential";

        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.SecondFactorCodeTest;

        /// <summary>The user (subject name) whose code is tested.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = CodeSet)]
        [Alias("Email", "EmailAddress", "Mail", "Name", "User")]
        [AllowEmptyString]
        public string UserName { get; set; }

        /// <summary>The code (PIN and tokencode, as the user would type it), as a SecureString.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CodeSet)]
        [SecureStringOnly]
        public SecureString Code { get; set; }

        /// <summary>The user name and the code as its password.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string name = ParameterSetName == CredentialSet ? Credential.UserName : UserName;
            SecureString code = ParameterSetName == CredentialSet ? Credential.Password : Code;
            if (!AcceptUserName(name))
            {
                return;
            }

            if (Audit == null)
            {
                StartAudit(AuditLogPath, new[] { SecretText.Reveal(code) });
            }

            SecurIdAppliance securId = SecurId;
            SecurIdCodeTestResult result = RunOrWriteError(token => securId.TestCodeAsync(name, code, token), name);
            string target = $"{name}@{securId.AuthAddress}";
            Audit.Record(target, "Test-RoSecurIdCode", result == null ? "Failed" : result.Result.ToString(), result == null ? null : $"{result.AttemptResponseCode} {result.MethodReasonCode}".Trim());
            if (result != null)
            {
                WriteVerbose($"Code test for {name}: {result.Result} ({result.AttemptResponseCode}).");
                WriteObject(result);
            }
        }
    }
}
