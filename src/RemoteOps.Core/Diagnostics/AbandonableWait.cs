using System;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Diagnostics
{
    /// <summary>
    /// Waits for work until a token fires, then stops waiting whether or not the work stops: not
    /// every wait inside a check honours its token (SSH.NET's channel open does not), and a help
    /// desk caller wants the verdict on time. Work given up on runs on; its late result is
    /// dropped and its failure observed.
    /// </summary>
    internal static class AbandonableWait
    {
        /// <summary>The work's result, or OperationCanceledException once <paramref name="cancellationToken"/> fires first.</summary>
        internal static async Task<T> WaitAsync<T>(Task<T> work, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || work.IsCompleted)
            {
                return await work.ConfigureAwait(false);
            }

            var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => stopped.TrySetResult(true)))
            {
                if (await Task.WhenAny(work, stopped.Task).ConfigureAwait(false) != work)
                {
                    _ = work.ContinueWith(late => late.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            return await work.ConfigureAwait(false);
        }
    }
}
