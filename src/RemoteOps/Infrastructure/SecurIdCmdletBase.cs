using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Identity.SecurId;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// What the SecurID cmdlets share: the connection (with the plain reason when it is an
    /// Authentication Manager one, which has no REST administration), user names checked before
    /// anything is sent, failures written per user, and the audit trail of the changing ones.
    /// </summary>
    public abstract class SecurIdCmdletBase : ApplianceCmdletBase
    {
        /// <summary>The error-id family (SecurIdNotFound, NoSecurIdConnection, ...).</summary>
        internal const string ErrorFamily = "SecurId";

        private AuditTrail audit;

        /// <inheritdoc />
        protected override string ErrorFamilyName => ErrorFamily;

        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.SecondFactorUsers;

        /// <summary>The SecurID driver of the connection in use.</summary>
        protected SecurIdAppliance SecurId
        {
            get
            {
                if (Connection != null && Connection.IsOpen && !Connection.Has(RequiredCapability)
                    && string.Equals(Connection.Driver, SecurIdAppliance.DriverName, StringComparison.OrdinalIgnoreCase)
                    && RequiredCapability == ApplianceCapabilities.SecondFactorUsers)
                {
                    ThrowTerminatingError(ErrorRecords.For(new ApplianceException(ApplianceErrorKind.NotSupported, SecurIdAppliance.AdministrationNotOnAuthenticationManager), Connection, ErrorFamily));
                }

                return Feature<SecurIdAppliance>();
            }
        }

        /// <summary>The audit trail; created by <see cref="StartAudit"/>.</summary>
        internal AuditTrail Audit => audit;

        /// <summary>Opens the audit trail and checks it can be written before anything changes.</summary>
        protected void StartAudit(string auditLogPath, IEnumerable<string> secrets = null)
        {
            audit = new AuditTrail(this, auditLogPath, secrets);
            audit.RequireWritable();
        }

        /// <summary>True for a name that may be sent; otherwise writes a non-terminating error naming it, and nothing is sent for it.</summary>
        protected bool AcceptUserName(string userName)
        {
            if (SecurIdUserName.IsValid(userName))
            {
                return true;
            }

            WriteError(ArgumentErrors.Invalid("InvalidSecurIdUserName", $"'{Printable(userName)}' is not a valid SecurID user name: use {SecurIdUserName.ValidForm}. Nothing was sent for it.", userName));
            return false;
        }

        /// <summary>
        /// The change cmdlets' loop: each valid name that the user confirms (ShouldProcess with
        /// <paramref name="whatIfAction"/>) is changed by <paramref name="work"/>, audited under the
        /// cmdlet's name and written out.
        /// </summary>
        protected void ChangeEach(IEnumerable<string> userNames, string whatIfAction, Func<SecurIdAppliance, string, CancellationToken, Task<SecurIdUserChange>> work)
        {
            foreach (string name in userNames)
            {
                if (!AcceptUserName(name))
                {
                    continue;
                }

                SecurIdAppliance securId = SecurId;
                if (!ShouldProcess($"{name}@{ResolvedConnection.Address}", whatIfAction))
                {
                    continue;
                }

                Change(name, MyInvocation.MyCommand.Name, token => work(securId, name, token));
            }
        }

        /// <summary>Runs one change for a user, audits it (also when it fails) and writes the result.</summary>
        protected void Change(string userName, string action, Func<CancellationToken, Task<SecurIdUserChange>> work)
        {
            SecurIdUserChange change = RunOrWriteError(work, userName);
            string target = $"{userName}@{ResolvedConnection.Address}";
            if (change == null)
            {
                Audit.Record(target, action, "Failed");
                return;
            }

            Audit.Record(target, action, change.Outcome, change.Detail);
            WriteVerbose($"{action} {userName}: {change.Outcome} ({change.Detail}).");
            WriteObject(change);
        }

        // Control characters in a refused name are shown escaped, so the message cannot rewrite the console.
        private static string Printable(string text)
        {
            if (text == null)
            {
                return string.Empty;
            }

            var builder = new System.Text.StringBuilder();
            foreach (char c in text)
            {
                builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
            }

            return builder.ToString();
        }
    }
}
