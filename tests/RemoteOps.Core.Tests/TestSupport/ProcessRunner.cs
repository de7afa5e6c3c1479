using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace RemoteOps.Core.Tests.TestSupport
{
    /// <summary>Runs a local program with an argument vector (no shell in between) and captures its output as bytes.</summary>
    internal static class ProcessRunner
    {
        internal sealed class Result
        {
            public int ExitCode { get; init; }
            public byte[] StandardOutput { get; init; }
            public string StandardError { get; init; }
            public string Text => Encoding.UTF8.GetString(StandardOutput);
        }

        public static Result Run(string program, IEnumerable<string> arguments, string workingDirectory = null, TimeSpan? timeout = null)
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + program);
            process.StandardInput.Close();
            var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(program + " did not finish in time.");
            }

            Task.WaitAll(copy, error);
            return new Result { ExitCode = process.ExitCode, StandardOutput = output.ToArray(), StandardError = error.Result };
        }

        public static Result RunChecked(string program, params string[] arguments)
        {
            var result = Run(program, arguments);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(" ", arguments)} failed ({result.ExitCode}): {result.StandardError}");
            }

            return result;
        }
    }
}
