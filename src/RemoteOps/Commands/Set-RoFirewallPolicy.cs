using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Collections.Generic;
using RemoteOps.Core.Firewall;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Makes the rules RemoteOps manages on a firewall exactly the given ones, in one atomic change.</summary>
    [Cmdlet(VerbsCommon.Set, "RoFirewallPolicy", HelpUri = HelpLinks.CmdletReference + "Set-RoFirewallPolicy.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = RuleSet)]
    [OutputType(typeof(FirewallPolicyResult))]
    public sealed class SetRoFirewallPolicyCommand : FirewallPolicyCmdletBase
    {
        private const string RuleSet = "Rule";
        private const string PathSet = "Path";

        /// <summary>The desired rules, in order: hashtables or objects with the policy file's keys, or Get-RoFirewallRule output.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RuleSet, Position = 0)]
        [AllowEmptyCollection]
        public PSObject[] Rule { get; set; }

        /// <summary>Address objects the rules refer to: @{ name = 'cidr', 'cidr' }.</summary>
        [Parameter(ParameterSetName = RuleSet)]
        public Hashtable AddressObject { get; set; }

        /// <summary>A policy file (.json, or .psd1 with the same keys).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Where to save the firewall's managed part before changing it (one firewall only).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string BackupPath { get; set; }

        private FirewallPolicy desiredPolicy;

        /// <inheritdoc />
        protected override string BackupFile => string.IsNullOrEmpty(BackupPath) ? null : LocalPaths.Resolve(this, BackupPath);

        /// <inheritdoc />
        protected override string What => $"Replace the managed rules with {desiredPolicy.Rules.Count} rule(s)";

        /// <inheritdoc />
        protected override void ValidateInput()
        {
            desiredPolicy = ParameterSetName == PathSet ? ReadFile() : FromParameters();
            try
            {
                FirewallPolicyValidator.Normalize(desiredPolicy);
            }
            catch (ArgumentException bad)
            {
                ThrowTerminatingError(new ErrorRecord(bad, "FirewallInvalidRule", ErrorCategory.InvalidArgument, ParameterSetName == PathSet ? (object)Path : Rule));
            }
        }

        /// <inheritdoc />
        protected override FirewallPolicy Desired(RemoteOps.Core.Appliances.ApplianceConnection connection, FirewallPolicy current) => desiredPolicy;

        private FirewallPolicy FromParameters()
        {
            // Rules that are already FirewallRule objects (from Get-RoFirewallRule) are taken as
            // they are; the others are read like a policy file, in their place among them.
            var given = (Rule ?? new PSObject[0]).ToList();
            var data = new Dictionary<string, object>
            {
                ["rules"] = given.Where(r => !(r?.BaseObject is FirewallRule)).Select(PolicyData.ToPlain).ToList(),
            };
            if (AddressObject != null)
            {
                data["addressObjects"] = PolicyData.ToPlain(AddressObject);
            }

            FirewallPolicy policy;
            try
            {
                policy = FirewallPolicyFile.FromData(data, "-Rule");
            }
            catch (FormatException bad)
            {
                ThrowTerminatingError(new ErrorRecord(bad, "FirewallInvalidRule", ErrorCategory.InvalidArgument, Rule));
                return null;
            }

            int parsed = 0;
            policy.Rules = given.Select(r => r?.BaseObject is FirewallRule rule ? rule : policy.Rules[parsed++]).ToList();
            return policy;
        }

        private FirewallPolicy ReadFile()
        {
            string path = LocalPaths.Resolve(this, Path);
            try
            {
                if (string.Equals(System.IO.Path.GetExtension(path), ".psd1", StringComparison.OrdinalIgnoreCase))
                {
                    var data = InvokeCommand.InvokeScript(false, ScriptBlock.Create("param($p) Import-PowerShellDataFile -LiteralPath $p"), null, path);
                    var table = data.Count == 1 ? PolicyData.ToPlain(data[0]) as Dictionary<string, object> : null;
                    return FirewallPolicyFile.FromData(table, path);
                }

                return FirewallPolicyFile.Parse(File.ReadAllText(path), path);
            }
            catch (FormatException bad)
            {
                ThrowTerminatingError(new ErrorRecord(bad, "FirewallPolicyFileInvalid", ErrorCategory.InvalidData, path));
            }
            catch (Exception error) when (error is IOException || error is UnauthorizedAccessException || error is RuntimeException)
            {
                ThrowTerminatingError(new ErrorRecord(error, "FirewallPolicyFileUnreadable", ErrorCategory.ReadError, path));
            }

            return null;
        }
    }
}
