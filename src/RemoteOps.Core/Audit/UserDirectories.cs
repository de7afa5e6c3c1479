using System;
using System.IO;
using System.Runtime.InteropServices;

namespace RemoteOps.Core.Audit
{
    /// <summary>
    /// The per-user folders RemoteOps keeps its files in: the XDG base directories on Unix,
    /// the roaming and local application data folders on Windows.
    /// </summary>
    internal static class UserDirectories
    {
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Settings that follow the user: ~/.config, or %APPDATA% on Windows.</summary>
        public static string ConfigHome()
        {
            return IsWindows
                ? WindowsFolder(Environment.SpecialFolder.ApplicationData, "APPDATA")
                : XdgFolder("XDG_CONFIG_HOME", ".config");
        }

        /// <summary>State that stays on this machine: ~/.local/state, or %LOCALAPPDATA% on Windows.</summary>
        public static string StateHome()
        {
            return IsWindows
                ? WindowsFolder(Environment.SpecialFolder.LocalApplicationData, "LOCALAPPDATA")
                : XdgFolder("XDG_STATE_HOME", Path.Combine(".local", "state"));
        }

        public static string Home()
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetEnvironmentVariable(IsWindows ? "USERPROFILE" : "HOME");
            }

            if (string.IsNullOrEmpty(home))
            {
                throw new InvalidOperationException(
                    "The user's home folder is unknown (HOME is not set), so no default path can be chosen; set HOME or pass an explicit path.");
            }

            return home;
        }

        private static string XdgFolder(string variable, string relativeDefault)
        {
            // The XDG spec says a relative value is invalid and must be ignored.
            var configured = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(configured) && Path.IsPathRooted(configured))
            {
                return configured;
            }

            return Path.Combine(Home(), relativeDefault);
        }

        private static string WindowsFolder(Environment.SpecialFolder folder, string variable)
        {
            var path = Environment.GetFolderPath(folder);
            if (string.IsNullOrEmpty(path))
            {
                throw new InvalidOperationException(
                    "The folder " + variable + " is unknown for this user (a service account without a profile?); pass an explicit path.");
            }

            return path;
        }
    }
}
