using System.Collections.Generic;
using System.Text;
using Newtonsoft.Json;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>
    /// The Ubuntu autoinstall file: cloud-init user-data ("#cloud-config") holding an
    /// "autoinstall:" section, version 1, as Ubuntu's autoinstall reference describes it.
    /// </summary>
    /// <remarks>
    /// Every string is written as a double-quoted scalar with JSON's escapes, which YAML reads
    /// the same way, so no value can start a new key, a list item or a comment.
    /// </remarks>
    internal static class AutoinstallDocument
    {
        private const string InTarget = "curtin in-target --target=/target --";

        internal static string Render(LaptopImageRequest request, LaptopProvisioning provisioning, string passwordHash, string keyLine)
        {
            var yaml = new StringBuilder();
            yaml.Append("#cloud-config\n");
            yaml.Append("# Ubuntu autoinstall written by RemoteOps New-RoLaptopImage from a laptop baseline.\n");
            bool encrypted = request.Baseline.DiskEncryption?.Required == true;
            string passphrase = encrypted ? SecretText.Reveal(request.DiskPassphrase) : null;
            if (passphrase != null)
            {
                yaml.Append("# It holds the disk passphrase in clear (autoinstall has no other way to take it):\n");
                yaml.Append("# keep this file where only the people who may unlock the laptops can read it.\n");
            }

            yaml.Append("autoinstall:\n");
            yaml.Append("  version: 1\n");
            yaml.Append("  locale: ").Append(Quote("en_US.UTF-8")).Append('\n');
            yaml.Append("  keyboard:\n    layout: ").Append(Quote("us")).Append('\n');
            yaml.Append("  identity:\n");
            yaml.Append("    hostname: ").Append(Quote(request.HostName)).Append('\n');
            yaml.Append("    username: ").Append(Quote(request.UserName)).Append('\n');
            yaml.Append("    password: ").Append(Quote(passwordHash)).Append('\n');
            yaml.Append("  ssh:\n");
            yaml.Append("    install-server: true\n");
            yaml.Append("    allow-pw: false\n");
            yaml.Append("    authorized-keys:\n      - ").Append(Quote(keyLine)).Append('\n');
            yaml.Append("  storage:\n    layout:\n      name: ").Append(Quote("lvm")).Append('\n');
            if (passphrase != null)
            {
                yaml.Append("      password: ").Append(Quote(passphrase)).Append('\n');
            }
            else if (encrypted)
            {
                yaml.Append("  # No passphrase given: the installer stops at the storage screen; choose encryption\n");
                yaml.Append("  # of the LVM volume group there and type the passphrase.\n");
                yaml.Append("  interactive-sections:\n    - ").Append(Quote("storage")).Append('\n');
            }

            yaml.Append("  packages:\n");
            foreach (string package in provisioning.Packages)
            {
                yaml.Append("    - ").Append(Quote(package)).Append('\n');
            }

            yaml.Append("  updates: ").Append(Quote("security")).Append('\n');
            yaml.Append("  late-commands:\n");
            foreach (KeyValuePair<string, string> command in LateCommands(provisioning))
            {
                yaml.Append("    # ").Append(command.Key).Append('\n');
                yaml.Append("    - ").Append(Quote(command.Value)).Append('\n');
            }

            return yaml.ToString();
        }

        /// <summary>The late commands with what each does, in the order they run.</summary>
        internal static IEnumerable<KeyValuePair<string, string>> LateCommands(LaptopProvisioning provisioning)
        {
            foreach (TargetFile file in provisioning.Files)
            {
                yield return new KeyValuePair<string, string>("writes " + file.Path + ": " + file.Purpose, InstallCommands.WriteFile(InTarget, file));
            }

            if (provisioning.PurgedPackages.Count > 0)
            {
                yield return new KeyValuePair<string, string>("purges the packages the baseline forbids", InstallCommands.Purge(InTarget, provisioning));
            }

            if (provisioning.UpdatesDconf)
            {
                yield return new KeyValuePair<string, string>("compiles the dconf database (screen lock)", InstallCommands.UpdateDconf(InTarget));
            }

            yield return new KeyValuePair<string, string>("enables " + string.Join(", ", provisioning.EnabledUnits), InstallCommands.EnableUnits(InTarget, provisioning));
        }

        private static string Quote(string value) => JsonConvert.ToString(value);
    }
}
