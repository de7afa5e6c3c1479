using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Vpn.Ocserv
{
    /// <summary>
    /// An <see cref="IRemoteShell"/> that runs each command line with the local /bin/sh -c,
    /// standard input fed and closed as the SSH shell does, and extra directories put first
    /// on PATH (for stand-ins such as a fake occtl). Lets the driver's command lines meet the
    /// real ocpasswd, sh, awk, cp and mv.
    /// </summary>
    internal sealed class LocalShell : IRemoteShell
    {
        private readonly string pathPrefix;
        private readonly bool nested;

        /// <param name="pathPrefix">Directories to search first for programs.</param>
        /// <param name="nested">Wrap each command line once more in sh -c '...', as SshRemoteShell's 'sudo -n -- sh -c' does.</param>
        public LocalShell(string pathPrefix, bool nested = false)
        {
            this.pathPrefix = pathPrefix;
            this.nested = nested;
        }

        public string Host => "local-test-host";

        /// <summary>Runs the program as SshRemoteShell would under sudo: quoted words, no script.</summary>
        public Task<SshCommandOutput> RunPrivilegedAsync(System.Collections.Generic.IReadOnlyList<string> command, string standardInput, CancellationToken cancellationToken)
            => RunAsync(SshRemoteShell.PrivilegedCommandLine(command, useSudo: false), standardInput, cancellationToken);

        public async Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(nested ? "sh -c " + PosixShell.Quote(commandLine) : commandLine);
            start.Environment["PATH"] = pathPrefix + ":" + (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin";
            start.Environment["LC_ALL"] = "C";

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /bin/sh.");
            Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (standardInput != null)
            {
                await process.StandardInput.WriteAsync(standardInput).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return new SshCommandOutput(null, await output.ConfigureAwait(false), await error.ConfigureAwait(false), timedOut: true);
            }

            return new SshCommandOutput(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false), timedOut: false);
        }

        public void Dispose()
        {
        }

        /// <summary>The full path of a program on PATH (plus sbin), or null.</summary>
        public static string Which(string program)
        {
            string path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty) + ":/usr/bin:/bin:/usr/sbin:/sbin";
            return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, program))
                .FirstOrDefault(File.Exists);
        }
    }

    /// <summary>A fact that needs the real ocpasswd (Debian: apt-get install ocserv), sh and awk; skipped with the reason otherwise.</summary>
    internal sealed class RealOcpasswdFactAttribute : FactAttribute
    {
        public RealOcpasswdFactAttribute()
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            {
                Skip = "Needs a POSIX host with /bin/sh and ocserv's ocpasswd.";
            }
            else if (LocalShell.Which("ocpasswd") == null)
            {
                Skip = "ocpasswd is not installed here (Debian: apt-get install -y ocserv); the driver's commands were not tried against the real tool.";
            }
            else if (!File.Exists("/bin/sh") || LocalShell.Which("awk") == null)
            {
                Skip = "Needs /bin/sh and awk.";
            }
        }
    }
}
