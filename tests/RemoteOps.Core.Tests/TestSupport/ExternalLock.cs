using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace RemoteOps.Core.Tests.TestSupport
{
    /// <summary>
    /// Another process (util-linux flock) holding an exclusive flock on a file, the same kind
    /// of lock .NET takes for FileShare.None on Unix.
    /// </summary>
    internal sealed class ExternalLock : IDisposable
    {
        private readonly Process process;

        private ExternalLock(Process process)
        {
            this.process = process;
        }

        public static ExternalLock Hold(string path, TimeSpan duration)
        {
            var ready = path + ".held-" + Guid.NewGuid().ToString("N");
            var start = new ProcessStartInfo("flock") { UseShellExecute = false };
            foreach (var argument in new[] { "-x", path, "sh", "-c", "touch \"$0\"; sleep \"$1\"", ready, duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start);
            var clock = Stopwatch.StartNew();
            while (!File.Exists(ready))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(10) || process.HasExited)
                {
                    throw new InvalidOperationException("flock did not take the lock on " + path);
                }

                Thread.Sleep(5);
            }

            File.Delete(ready);
            return new ExternalLock(process);
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
            process.Dispose();
        }
    }
}
