using System;
using System.Runtime.InteropServices;

namespace RemoteOps.Core.Audit
{
    /// <summary>
    /// Restricts files RemoteOps creates to their owner on Unix (0600, folders 0700), as
    /// OpenSSH expects of its own files. On Windows the per-user profile folders already
    /// carry owner-only ACLs that new files inherit, so nothing is done there.
    /// </summary>
    internal static class OwnerOnlyPermissions
    {
        private const uint OwnerReadWrite = 0x180;        // 0600
        private const uint OwnerReadWriteSearch = 0x1C0;  // 0700

        /// <summary>Returns false where the mode could not be set; callers carry on, as "where possible" allows.</summary>
        public static bool TryApplyToFile(string path)
        {
            return TryChmod(path, OwnerReadWrite);
        }

        public static bool TryApplyToDirectory(string path)
        {
            return TryChmod(path, OwnerReadWriteSearch);
        }

        private static bool TryChmod(string path, uint mode)
        {
            if (UserDirectories.IsWindows)
            {
                return false;
            }

            try
            {
                return NativeMethods.chmod(path, mode) == 0;
            }
            catch (DllNotFoundException)
            {
                return false;
            }
            catch (EntryPointNotFoundException)
            {
                return false;
            }
        }

        private static class NativeMethods
        {
            // netstandard2.0 has no managed way to set a Unix mode (File.SetUnixFileMode is .NET 7+).
            [DllImport("libc", SetLastError = true)]
            [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "The C function's name.")]
            internal static extern int chmod(string path, uint mode);
        }
    }
}
