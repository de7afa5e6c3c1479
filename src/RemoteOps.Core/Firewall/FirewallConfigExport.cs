using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using RemoteOps.Core.Firewall.Nftables;

namespace RemoteOps.Core.Firewall
{
    /// <summary>
    /// The managed part of one firewall saved as two files: in the device's own format (to restore
    /// by hand with the device's tools) and as a canonical policy file (the JSON
    /// Set-RoFirewallPolicy -Path reads back), the one to keep in version control.
    /// </summary>
    public sealed class FirewallConfigExport
    {
        /// <summary>The firewall (as reached).</summary>
        public string Appliance { get; set; }

        /// <summary>The managed part ("nftables table inet remoteops").</summary>
        public string Scope { get; set; }

        /// <summary>The file in the device's own format (nft list table output for Nftables).</summary>
        public string DeviceFormatPath { get; set; }

        /// <summary>The canonical policy file (JSON, read by Set-RoFirewallPolicy -Path).</summary>
        public string PolicyPath { get; set; }

        /// <summary>Rules in the policy.</summary>
        public int RuleCount { get; set; }

        /// <summary>Address objects in the policy.</summary>
        public int AddressObjectCount { get; set; }

        /// <summary>When the files were written.</summary>
        public DateTimeOffset ExportedAt { get; set; }

        /// <summary>The extension of the device-format file: .nft for nftables (nft -f loads it), .txt otherwise.</summary>
        public static string DeviceExtension(IFirewall firewall) => firewall is NftablesFirewall ? ".nft" : ".txt";

        /// <summary>A file name made of the device's name or address: letters, digits, '.', '_' and '-' kept, anything else '_'.</summary>
        public static string BaseName(IFirewall firewall)
        {
            string name = string.IsNullOrWhiteSpace(firewall?.Info?.Name) ? firewall?.Info?.Address : firewall.Info.Name;
            string safe = Regex.Replace(name ?? "firewall", "[^A-Za-z0-9._-]", "_").Trim('.');
            return safe.Length == 0 ? "firewall" : safe;
        }

        /// <summary>
        /// Writes <paramref name="deviceText"/> to BASE + device extension and <paramref name="policy"/>
        /// to BASE.policy.json in <paramref name="directory"/>, replacing files of the same names.
        /// </summary>
        public static FirewallConfigExport WriteInFolder(IFirewall firewall, string directory, string baseName, string deviceText, FirewallPolicy policy) =>
            Write(firewall, Path.Combine(directory, baseName + DeviceExtension(firewall)), Path.Combine(directory, baseName + ".policy.json"), deviceText, policy);

        /// <summary>
        /// Writes the two files (their folders are created when missing). Each is written to a
        /// temporary name first and then moved, so a reader never sees half a file.
        /// </summary>
        public static FirewallConfigExport Write(IFirewall firewall, string devicePath, string policyPath, string deviceText, FirewallPolicy policy)
        {
            if (firewall == null || policy == null)
            {
                throw new ArgumentNullException(firewall == null ? nameof(firewall) : nameof(policy));
            }

            var export = new FirewallConfigExport
            {
                Appliance = firewall.Info.Address,
                Scope = firewall.PolicyScope,
                DeviceFormatPath = devicePath,
                PolicyPath = policyPath,
                RuleCount = policy.Rules.Count,
                AddressObjectCount = policy.AddressObjects.Count,
                ExportedAt = DateTimeOffset.UtcNow,
            };
            WriteAtomically(devicePath, deviceText ?? string.Empty);
            WriteAtomically(policyPath, FirewallPolicyFile.Write(policy));
            return export;
        }

        private static void WriteAtomically(string path, string text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            string temporary = path + ".tmp";
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            File.Move(temporary, path);
        }
    }
}
