using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;

namespace RemoteOps.Core.Audit
{
    /// <summary>
    /// Opens a file whose sharing mode may conflict with another thread or process, retrying
    /// with a short jittered backoff until a deadline. FileShare.None is how files are locked
    /// here: .NET maps it to a share lock on Windows and to flock(LOCK_EX) on Unix, where it
    /// excludes other processes, other FileStreams in this process, and readers (LOCK_SH).
    /// </summary>
    internal static class RetryingFileOpener
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

        private const int FirstDelayMilliseconds = 2;
        private const int MaxDelayMilliseconds = 50;

        [ThreadStatic]
        private static Random jitter;

        /// <exception cref="IOException">The file stayed locked until the deadline; the message names it.</exception>
        public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share, TimeSpan timeout, string description)
        {
            var clock = Stopwatch.StartNew();
            var delay = FirstDelayMilliseconds;
            while (true)
            {
                try
                {
                    return new FileStream(path, mode, access, share, 4096, FileOptions.None);
                }
                catch (IOException ex) when (IsContention(ex))
                {
                    if (clock.Elapsed >= timeout)
                    {
                        throw new IOException(
                            string.Format(
                                CultureInfo.InvariantCulture,
                                "Could not open the {0} '{1}' within {2:0.#} s: another thread or process kept it locked. Retry later, or find the process holding it open.",
                                description,
                                path,
                                timeout.TotalSeconds),
                            ex);
                    }

                    Thread.Sleep(delay + Jitter().Next(delay + 1));
                    delay = Math.Min(delay * 2, MaxDelayMilliseconds);
                }
            }
        }

        // A missing file or folder will not appear by waiting; everything else that an open
        // can throw as IOException is a sharing or lock violation on the platforms we run on.
        private static bool IsContention(IOException ex)
        {
            return !(ex is FileNotFoundException)
                && !(ex is DirectoryNotFoundException)
                && !(ex is PathTooLongException)
                && !(ex is DriveNotFoundException);
        }

        private static Random Jitter()
        {
            return jitter ?? (jitter = new Random(Guid.NewGuid().GetHashCode()));
        }
    }
}
