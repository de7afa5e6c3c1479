using System;
using System.Globalization;
using System.Text;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Checks remote paths before any host is contacted, and names the temporary files that
    /// transfers write beside their destination. Linux file systems (and most others) allow at
    /// most 255 bytes in one file name; an SFTP server answers a longer one with a bare
    /// "Bad message", so the limit is checked here, where the message can name it.
    /// </summary>
    public static class RemotePath
    {
        /// <summary>The most UTF-8 bytes in one part of a path (NAME_MAX on Linux).</summary>
        public const int MaxNameBytes = 255;

        private const string TemporaryMarker = ".partial-";
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        /// <summary>Checks <paramref name="path"/>; <paramref name="what"/> names it in the message (for example "-Destination").</summary>
        /// <exception cref="ArgumentException">The path is empty, holds NUL, or has a part longer than <see cref="MaxNameBytes"/> bytes.</exception>
        public static void Validate(string path, string what)
        {
            if (string.IsNullOrEmpty(path))
            {
                throw new ArgumentException(what + " is empty; pass a remote path, for example /tmp/.");
            }

            if (path.IndexOf('\0') >= 0)
            {
                throw new ArgumentException(what + " contains a NUL character, which no remote path can hold.");
            }

            foreach (var name in path.Split('/'))
            {
                var bytes = Utf8.GetByteCount(name);
                if (bytes > MaxNameBytes)
                {
                    throw new ArgumentException(string.Format(
                        CultureInfo.InvariantCulture,
                        "{0} has a part {1} that is {2} bytes long; a file or folder name may have at most {3} bytes. Use a shorter name.",
                        what,
                        DisplayText.Quote(name),
                        bytes,
                        MaxNameBytes));
                }
            }
        }

        /// <summary>
        /// A fresh temporary name in the folder of <paramref name="path"/> ('/' or the local
        /// separator): the file name, cut short when needed so that the whole name still fits
        /// in <see cref="MaxNameBytes"/>, then ".partial-" and 12 random hex digits.
        /// </summary>
        public static string TemporaryBeside(string path)
        {
            var cut = Math.Max(path.LastIndexOf('/'), path.LastIndexOf(System.IO.Path.DirectorySeparatorChar)) + 1;
            var folder = path.Substring(0, cut);
            var name = path.Substring(cut);
            var suffix = TemporaryMarker + Guid.NewGuid().ToString("N").Substring(0, 12);
            var room = MaxNameBytes - suffix.Length;
            while (Utf8.GetByteCount(name) > room)
            {
                // Never split a surrogate pair.
                var end = name.Length - 1;
                if (end > 0 && char.IsLowSurrogate(name[end]))
                {
                    end--;
                }

                name = name.Substring(0, end);
            }

            return folder + name + suffix;
        }
    }
}
