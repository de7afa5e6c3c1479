using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Lists the open appliance connections of this session, oldest first.</summary>
    [Cmdlet(VerbsCommon.Get, "RoApplianceConnection", HelpUri = HelpLinks.CmdletReference + "Get-RoApplianceConnection.md")]
    [OutputType(typeof(ApplianceConnection))]
    public sealed class GetRoApplianceConnectionCommand : PSCmdlet
    {
        /// <summary>Only connections through this driver.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string Driver { get; set; }

        /// <summary>Only connections that have every one of these capabilities.</summary>
        [Parameter]
        public ApplianceCapabilities Capability { get; set; } = ApplianceCapabilities.None;

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var pattern = new WildcardPattern(Driver ?? "*", WildcardOptions.IgnoreCase);
            foreach (ApplianceConnection connection in ApplianceConnections.Of(this).All)
            {
                if (pattern.IsMatch(connection.Driver) && connection.Has(Capability))
                {
                    WriteObject(connection);
                }
            }
        }
    }
}
