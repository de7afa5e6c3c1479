using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Drivers;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Connects to a device through any registered driver and returns the connection.</summary>
    [Cmdlet(VerbsCommunications.Connect, "RoAppliance", HelpUri = HelpLinks.CmdletReference + "Connect-RoAppliance.md")]
    [OutputType(typeof(ApplianceConnection))]
    public sealed class ConnectRoApplianceCommand : ApplianceConnectCmdletBase
    {
        /// <summary>The driver (see Get-RoApplianceDriver): Ocserv, ConnectSecure, FortiGate, ...</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(DriverNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Driver { get; set; }

        /// <summary>Driver settings as a table, e.g. @{ AdminRealm = 'Admins' }; Get-RoApplianceDriver lists each driver's settings.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable Option { get; set; }

        /// <inheritdoc />
        protected override string DriverName => Driver;

        /// <inheritdoc />
        protected override IDictionary DriverSettings => Unwrapped(Option);

        /// <inheritdoc />
        protected override string ErrorFamily => "Appliance";

        // Values typed in a hashtable may arrive wrapped in PSObject; the binder checks the values themselves.
        private static IDictionary Unwrapped(Hashtable option)
        {
            var plain = new Hashtable(System.StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in option ?? new Hashtable())
            {
                object value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                if (value is object[] items)
                {
                    value = items.Select(item => item is PSObject p ? p.BaseObject : item).ToArray();
                }

                plain[entry.Key is PSObject key ? key.BaseObject : entry.Key] = value;
            }

            return plain;
        }

        /// <summary>Completes -Driver with the registered driver names.</summary>
        public sealed class DriverNameCompleter : IArgumentCompleter
        {
            /// <inheritdoc />
            public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            {
                return BuiltInDrivers.Registry.All
                    .Where(d => d.Name.StartsWith(wordToComplete ?? string.Empty, System.StringComparison.OrdinalIgnoreCase))
                    .Select(d => new CompletionResult(d.Name, d.Name, CompletionResultType.ParameterValue, d.Description));
            }
        }
    }
}
