using System;
using System.Text;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>
    /// The shell commands both installers run at the end of the install. Every file travels as
    /// base64, so no value from the baseline is ever read by a shell; the paths are RemoteOps'
    /// own constants or validated names.
    /// </summary>
    internal static class InstallCommands
    {
        /// <summary>Writes one file onto the installed system, creating its folder, with its mode.</summary>
        internal static string WriteFile(string inTarget, TargetFile file)
        {
            string folder = file.Path.Substring(0, file.Path.LastIndexOf('/'));
            string data = Convert.ToBase64String(Encoding.UTF8.GetBytes(file.Content));
            return inTarget + " sh -c 'mkdir -p " + folder + " && printf %s " + data + " | base64 -d > " + file.Path + " && chmod " + file.Mode + " " + file.Path + "'";
        }

        /// <summary>Writes the management key into the user's authorized_keys, owned by the user.</summary>
        internal static string WriteAuthorizedKey(string inTarget, string userName, string keyLine)
        {
            string home = "/home/" + userName;
            string data = Convert.ToBase64String(Encoding.UTF8.GetBytes(keyLine + "\n"));
            return inTarget + " sh -c 'mkdir -p " + home + "/.ssh && printf %s " + data + " | base64 -d >> " + home + "/.ssh/authorized_keys"
                + " && chmod 700 " + home + "/.ssh && chmod 600 " + home + "/.ssh/authorized_keys && chown -R " + userName + ": " + home + "/.ssh'";
        }

        internal static string Purge(string inTarget, LaptopProvisioning provisioning)
        {
            return inTarget + " apt-get purge -y " + string.Join(" ", provisioning.PurgedPackages);
        }

        internal static string EnableUnits(string inTarget, LaptopProvisioning provisioning)
        {
            return inTarget + " systemctl enable " + string.Join(" ", provisioning.EnabledUnits);
        }

        // dconf ships with the desktop; on a laptop installed without one there is nothing to compile.
        internal static string UpdateDconf(string inTarget)
        {
            return inTarget + " sh -c 'if command -v dconf >/dev/null; then dconf update; fi'";
        }
    }
}
