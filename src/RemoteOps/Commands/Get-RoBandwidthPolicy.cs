using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Bandwidth;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Lists the traffic classes RemoteOps shapes on a device, in match order, with their live counters.</summary>
    [Cmdlet(VerbsCommon.Get, "RoBandwidthPolicy", HelpUri = HelpLinks.CmdletReference + "Get-RoBandwidthPolicy.md")]
    [OutputType(typeof(BandwidthClass))]
    public sealed class GetRoBandwidthPolicyCommand : BandwidthCmdletBase
    {
        /// <summary>Only classes whose name matches one of these (wildcards allowed).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            BandwidthState state = RunOrStop(token => Shaper.GetStateAsync(token), ResolvedConnection);
            WildcardPattern[] patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            foreach (BandwidthClass item in state.Classes.Where(c => patterns.Any(p => p.IsMatch(c.Name))))
            {
                WriteObject(item);
            }
        }
    }
}
