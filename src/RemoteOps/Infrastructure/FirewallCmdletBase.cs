using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Firewall;

namespace RemoteOps.Infrastructure
{
    /// <summary>The -Connection parameter, Ctrl+C handling and error mapping of the firewall cmdlets.</summary>
    public abstract class FirewallCmdletBase : ApplianceCmdletBase
    {
        /// <summary>The error-id family of the firewall cmdlets (FirewallInvalidRequest, NoFirewallConnection, ...).</summary>
        internal const string ErrorFamily = "Firewall";

        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.FirewallPolicy;

        /// <inheritdoc />
        protected override string ErrorFamilyName => ErrorFamily;

        /// <summary>The firewall side of the connection in use.</summary>
        protected IFirewall Firewall => Feature<IFirewall>();

        /// <summary>Waits for firewall work on the pipeline thread; a failure stops the cmdlet with the mapped error.</summary>
        protected T Run<T>(Func<CancellationToken, Task<T>> work, object target)
        {
            try
            {
                return work(StopToken).GetAwaiter().GetResult();
            }
            catch (Exception error) when (!(error is OperationCanceledException) && !(error is PipelineStoppedException))
            {
                ThrowTerminatingError(ErrorRecords.For(error, target, ErrorFamily));
                throw;
            }
        }

        /// <summary>Plans <paramref name="desired"/>, asks ShouldProcess with the readable diff, applies, audits each change and writes the result.</summary>
        protected void SetPolicy(FirewallPolicy desired, string auditLogPath, string backupPath, string what)
        {
            ApplianceConnection connection = ResolvedConnection;
            IFirewall firewall = Firewall;
            var operations = new FirewallPolicyOperations(firewall);
            (FirewallPolicy normal, FirewallPlan plan) = Run(token => operations.PlanAsync(desired, token), connection);
            WriteVerbose(plan.ToText());
            if (plan.IsEmpty)
            {
                WriteObject(operations.Describe(plan, FirewallPolicyOutcome.NoChange));
                return;
            }

            string target = $"{firewall.PolicyScope} on {connection.Address}";
            if (!ShouldProcess($"{target}: {what}\n{plan.ToText()}", $"{what}\n{plan.ToText()}\n\nApply these changes to {target}?", "Confirm"))
            {
                WriteObject(operations.Describe(plan, FirewallPolicyOutcome.Planned));
                return;
            }

            Func<string, string> saveBackup = null;
            if (!string.IsNullOrEmpty(backupPath))
            {
                string path = LocalPaths.Resolve(this, backupPath);
                saveBackup = text =>
                {
                    System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path));
                    System.IO.File.WriteAllText(path, text);
                    return path;
                };
            }

            // The audit trail fails closed: nothing is changed when the change could not be recorded.
            var audit = new AuditTrail(this, auditLogPath, null);
            audit.RequireWritable();
            FirewallPolicyResult result;
            try
            {
                result = operations.ApplyAsync(normal, plan, saveBackup, StopToken).GetAwaiter().GetResult();
            }
            catch (Exception error) when (!(error is OperationCanceledException) && !(error is PipelineStoppedException))
            {
                audit.Record(target, MyInvocation.MyCommand.Name, "Failed", error.Message);
                ThrowTerminatingError(ErrorRecords.For(error, connection, ErrorFamily));
                return;
            }

            foreach (string change in result.Changes)
            {
                audit.Record(target, MyInvocation.MyCommand.Name, "Applied", change);
            }

            WriteObject(result);
        }

    }
}
