using System;
using System.IO;
using System.Runtime.InteropServices;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>
    /// What a rewrite of a shared file must carry over on Linux: where a symbolic link points,
    /// and the owner and mode of the file it replaces. netstandard2.0 has no API for any of
    /// these, so libc is called (realpath, statx, chown, chmod). Where libc or statx is missing
    /// (Windows, macOS, glibc before 2.28) every method reports "unknown" and callers keep
    /// their portable behaviour.
    /// </summary>
    internal static class UnixFileMetadata
    {
        private const int AtFdCwd = -100;
        private const int AtEmptyPath = 0x1000;
        private const uint StatxBasicStats = 0x7ff;
        private const int StatxSize = 256;

        // Offsets in struct statx, the same on every Linux architecture.
        private const int UidOffset = 20;
        private const int GidOffset = 24;
        private const int ModeOffset = 28;
        private const int InodeOffset = 32;
        private const int DeviceMajorOffset = 136;
        private const int DeviceMinorOffset = 140;

        /// <summary>The path with every symbolic link resolved, or the path itself when it does not exist or cannot be resolved.</summary>
        public static string ResolveLinks(string path)
        {
            if (UserDirectories.IsWindows || !File.Exists(path))
            {
                return path;
            }

            try
            {
                var resolved = NativeMethods.realpath(path, IntPtr.Zero);
                if (resolved == IntPtr.Zero)
                {
                    return path;
                }

                try
                {
                    return Marshal.PtrToStringAnsi(resolved) ?? path;
                }
                finally
                {
                    NativeMethods.free(resolved);
                }
            }
            catch (Exception error) when (error is DllNotFoundException || error is EntryPointNotFoundException)
            {
                return path;
            }
        }

        /// <summary>Owner, group and permission bits of <paramref name="path"/> (links followed); false when unknown.</summary>
        public static bool TryGetOwnerAndMode(string path, out uint owner, out uint group, out uint mode)
        {
            owner = group = mode = 0;
            var buffer = new byte[StatxSize];
            if (!TryStatx(AtFdCwd, path, 0, buffer))
            {
                return false;
            }

            owner = BitConverter.ToUInt32(buffer, UidOffset);
            group = BitConverter.ToUInt32(buffer, GidOffset);
            mode = BitConverter.ToUInt16(buffer, ModeOffset) & 0xFFFu;
            return true;
        }

        /// <summary>Gives <paramref name="path"/> this owner, group and mode; false when any of it could not be set.</summary>
        public static bool TrySetOwnerAndMode(string path, uint owner, uint group, uint mode)
        {
            try
            {
                // Owner first: chown clears set-id bits, which chmod then restores.
                return NativeMethods.chown(path, owner, group) == 0 && NativeMethods.chmod(path, mode) == 0;
            }
            catch (Exception error) when (error is DllNotFoundException || error is EntryPointNotFoundException)
            {
                return false;
            }
        }

        /// <summary>
        /// True when the open <paramref name="stream"/> is still the file at <paramref name="path"/>
        /// (same device and inode); null when that cannot be told here.
        /// </summary>
        public static bool? IsSameFile(FileStream stream, string path)
        {
            var open = new byte[StatxSize];
            var named = new byte[StatxSize];
            int descriptor;
            try
            {
                descriptor = stream.SafeFileHandle.DangerousGetHandle().ToInt32();
            }
            catch (OverflowException)
            {
                return null;
            }

            if (!TryStatx(descriptor, string.Empty, AtEmptyPath, open))
            {
                return null;
            }

            if (!TryStatx(AtFdCwd, path, 0, named))
            {
                return File.Exists(path) ? (bool?)null : false;
            }

            return BitConverter.ToUInt64(open, InodeOffset) == BitConverter.ToUInt64(named, InodeOffset)
                && BitConverter.ToUInt32(open, DeviceMajorOffset) == BitConverter.ToUInt32(named, DeviceMajorOffset)
                && BitConverter.ToUInt32(open, DeviceMinorOffset) == BitConverter.ToUInt32(named, DeviceMinorOffset);
        }

        private static bool TryStatx(int directory, string path, int flags, byte[] buffer)
        {
            if (UserDirectories.IsWindows)
            {
                return false;
            }

            try
            {
                return NativeMethods.statx(directory, path, flags, StatxBasicStats, buffer) == 0;
            }
            catch (Exception error) when (error is DllNotFoundException || error is EntryPointNotFoundException)
            {
                return false;
            }
        }

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "The C functions' names.")]
        private static class NativeMethods
        {
            [DllImport("libc", SetLastError = true)]
            internal static extern IntPtr realpath(string path, IntPtr resolved);

            [DllImport("libc")]
            internal static extern void free(IntPtr pointer);

            [DllImport("libc", SetLastError = true)]
            internal static extern int statx(int directory, string path, int flags, uint mask, byte[] buffer);

            [DllImport("libc", SetLastError = true)]
            internal static extern int chown(string path, uint owner, uint group);

            [DllImport("libc", SetLastError = true)]
            internal static extern int chmod(string path, uint mode);
        }
    }
}
