using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Audit;
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


        /// <summary>The target an audit line names: the managed part on the device.</summary>
        protected string AuditTarget => $"{Firewall.PolicyScope} on {ResolvedConnection.Address}";

        /// <summary>Confirm windows on the firewall in use: on the device for drivers with a timer of their own, in this runspace otherwise.</summary>
        protected FirewallConfirmedChange ConfirmedChanges => new FirewallConfirmedChange(Firewall, FirewallClientGuards.Current());

        /// <summary>Records the changes that ended without a client (a host timer's rollback) once, when a cmdlet first sees them.</summary>
        private protected void RecordSettled(AuditTrail audit, IEnumerable<FirewallChange> settled)
        {
            foreach (FirewallChange change in settled)
            {
                audit.Record(AuditTarget, MyInvocation.MyCommand.Name, change.State.ToString(), Describe(change));
            }
        }

        /// <summary>One audit line's detail for a change with a confirm window.</summary>
        internal static string Describe(FirewallChange change) =>
            $"change {change.ChangeId} ({change.RollbackGuarantee}, deadline {change.Deadline.ToString("u", CultureInfo.InvariantCulture)}): {change.State}" +
            (string.IsNullOrEmpty(change.Reason) ? string.Empty : ". " + change.Reason);
    }
}
