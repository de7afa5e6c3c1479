using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Drivers;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Lists the drivers Connect-RoAppliance can use, with their transport, capabilities and settings.</summary>
    [Cmdlet(VerbsCommon.Get, "RoApplianceDriver", HelpUri = HelpLinks.CmdletReference + "Get-RoApplianceDriver.md")]
    [OutputType(typeof(ApplianceDriver))]
    public sealed class GetRoApplianceDriverCommand : PSCmdlet
    {
        /// <summary>Only drivers whose name matches (wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string Name { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var pattern = new WildcardPattern(Name ?? "*", WildcardOptions.IgnoreCase);
            bool any = false;
            foreach (ApplianceDriver driver in BuiltInDrivers.Registry.All)
            {
                if (pattern.IsMatch(driver.Name))
                {
                    any = true;
                    WriteObject(driver);
                }
            }

            if (!any && !WildcardPattern.ContainsWildcardCharacters(Name ?? "*"))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"There is no driver named '{Name}'. Run Get-RoApplianceDriver without -Name to list them."),
                    "DriverNotFound",
                    ErrorCategory.ObjectNotFound,
                    Name));
            }
        }
    }
}
