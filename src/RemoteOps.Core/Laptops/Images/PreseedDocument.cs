using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>
    /// The Debian installer's preseed file (debconf selections, "owner question type value" per
    /// line). The disk passphrase is never in it: partman-crypto asks for it during the install.
    /// </summary>
    /// <remarks>
    /// A debconf value runs to the end of its line and has no quoting, so every value written here
    /// was refused earlier if it held a line break; the late command is continued over lines with
    /// a trailing backslash, which the installer and debconf-set-selections both join.
    /// </remarks>
    internal static class PreseedDocument
    {
        private const string InTarget = "in-target";

        internal static string Render(LaptopImageRequest request, LaptopProvisioning provisioning, string passwordHash, string keyLine)
        {
            bool encrypted = request.Baseline.DiskEncryption?.Required == true;
            var text = new StringBuilder();
            text.Append("# Debian preseed written by RemoteOps New-RoLaptopImage from a laptop baseline.\n");
            if (encrypted)
            {
                text.Append("# The disk passphrase is not in this file: the installer asks for it (partman-crypto).\n");
            }

            Line(text, "d-i", "debian-installer/locale", "string", "en_US.UTF-8");
            Line(text, "d-i", "keyboard-configuration/xkb-keymap", "select", "us");
            Line(text, "d-i", "netcfg/choose_interface", "select", "auto");
            Line(text, "d-i", "netcfg/get_hostname", "string", request.HostName);
            Line(text, "d-i", "netcfg/get_domain", "string", string.Empty);
            Line(text, "d-i", "netcfg/hostname", "string", request.HostName);
            Line(text, "d-i", "mirror/country", "string", "manual");
            Line(text, "d-i", "mirror/http/hostname", "string", "deb.debian.org");
            Line(text, "d-i", "mirror/http/directory", "string", "/debian");
            Line(text, "d-i", "mirror/http/proxy", "string", string.Empty);
            Line(text, "d-i", "clock-setup/utc", "boolean", "true");
            Line(text, "d-i", "time/zone", "string", "UTC");

            text.Append("# The first user gets sudo (root cannot log in); only the password's SHA-512 crypt hash is here.\n");
            Line(text, "d-i", "passwd/root-login", "boolean", "false");
            Line(text, "d-i", "passwd/user-fullname", "string", request.UserName);
            Line(text, "d-i", "passwd/username", "string", request.UserName);
            Line(text, "d-i", "passwd/user-password-crypted", "password", passwordHash);

            text.Append(encrypted ? "# Whole disk: LVM inside LUKS.\n" : "# Whole disk: LVM, not encrypted (the baseline does not ask for it).\n");
            Line(text, "d-i", "partman-auto/method", "string", encrypted ? "crypto" : "lvm");
            Line(text, "d-i", "partman-auto-lvm/guided_size", "string", "max");
            Line(text, "d-i", "partman-auto/choose_recipe", "select", "atomic");
            Line(text, "d-i", "partman-lvm/device_remove_lvm", "boolean", "true");
            Line(text, "d-i", "partman-md/device_remove_md", "boolean", "true");
            Line(text, "d-i", "partman-lvm/confirm", "boolean", "true");
            Line(text, "d-i", "partman-lvm/confirm_nooverwrite", "boolean", "true");
            Line(text, "d-i", "partman-partitioning/confirm_write_new_label", "boolean", "true");
            Line(text, "d-i", "partman/choose_partition", "select", "finish");
            Line(text, "d-i", "partman/confirm", "boolean", "true");
            Line(text, "d-i", "partman/confirm_nooverwrite", "boolean", "true");

            Line(text, "tasksel", "tasksel/first", "multiselect", "standard, ssh-server");
            Line(text, "d-i", "pkgsel/include", "string", string.Join(" ", provisioning.Packages));
            Line(text, "d-i", "pkgsel/upgrade", "select", "full-upgrade");
            Line(text, "d-i", "pkgsel/update-policy", "select", request.Baseline.AutomaticSecurityUpdates == true ? "unattended-upgrades" : "none");
            Line(text, "popularity-contest", "popularity-contest/participate", "boolean", "false");
            Line(text, "d-i", "grub-installer/only_debian", "boolean", "true");
            Line(text, "d-i", "grub-installer/bootdev", "string", "default");
            Line(text, "d-i", "finish-install/reboot_in_progress", "note", string.Empty);

            List<KeyValuePair<string, string>> commands = LateCommands(request, provisioning, keyLine).ToList();
            text.Append("# The late command, in order:\n");
            foreach (KeyValuePair<string, string> command in commands)
            {
                text.Append("#   ").Append(command.Key).Append('\n');
            }

            text.Append("d-i preseed/late_command string \\\n");
            text.Append(string.Join(" && \\\n", commands.Select(command => "    " + command.Value)));
            text.Append('\n');
            return text.ToString();
        }

        private static IEnumerable<KeyValuePair<string, string>> LateCommands(LaptopImageRequest request, LaptopProvisioning provisioning, string keyLine)
        {
            yield return new KeyValuePair<string, string>(
                "adds the management key to /home/" + request.UserName + "/.ssh/authorized_keys",
                InstallCommands.WriteAuthorizedKey(InTarget, request.UserName, keyLine));
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

        private static void Line(StringBuilder text, string owner, string question, string type, string value)
        {
            text.Append(owner).Append(' ').Append(question).Append(' ').Append(type);
            if (value.Length > 0)
            {
                text.Append(' ').Append(value);
            }

            text.Append('\n');
        }
    }
}
