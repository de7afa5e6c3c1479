using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Hosts
{
    /// <summary>
    /// Runs one host's work into its result: times it, and turns anything the work throws into
    /// a classified failure on the result instead of an exception, so that one host can never
    /// stop the others.
    /// </summary>
    public static class HostRun
    {
        /// <summary>
        /// Runs <paramref name="work"/>, which fills in <paramref name="result"/> (status included)
        /// when it gets to the end; <paramref name="classify"/> turns what it throws into a failure.
        /// </summary>
        public static async Task<TResult> RunAsync<TResult>(
            TResult result,
            Func<TResult, CancellationToken, Task> work,
            Func<Exception, CancellationToken, HostFailure> classify,
            CancellationToken cancellationToken)
            where TResult : HostResult
        {
            if (result == null)
            {
                throw new ArgumentNullException(nameof(result));
            }

            if (work == null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            if (classify == null)
            {
                throw new ArgumentNullException(nameof(classify));
            }

            var clock = Stopwatch.StartNew();
            if (result.StartTime == default(DateTimeOffset))
            {
                result.StartTime = DateTimeOffset.UtcNow;
            }

            try
            {
                await work(result, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                result.Fail(classify(error, cancellationToken) ?? new HostFailure(HostStatus.Failed, $"{result.ComputerName}: {error.GetType().Name}: {error.Message}"));
            }

            result.Duration = clock.Elapsed;
            return result;
        }

        /// <summary>
        /// The result for work that never ran or never produced one (stopped before it started,
        /// stopped and not ended in time, or a fault in the plumbing): Cancelled for a stop,
        /// Failed otherwise.
        /// </summary>
        public static TResult Faulted<TResult>(TResult result, string target, Exception error)
            where TResult : HostResult
        {
            bool stopped = error is OperationCanceledException;
            result.StartTime = DateTimeOffset.UtcNow;
            result.Status = stopped ? HostStatus.Cancelled : HostStatus.Failed;
            result.Message = error is WorkStillRunningException stillRunning ? $"Work on {target}: {stillRunning.Message}"
                : stopped ? $"Work on {target} was stopped before it started."
                : $"{target}: {error?.Message}";
            return result;
        }
    }
}
