using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Hosts
{
    /// <summary>
    /// Runs one piece of work per host with at most ThrottleLimit at a time, and hands each
    /// result to the consuming thread as soon as it is known.
    /// </summary>
    /// <remarks>
    /// PowerShell allows WriteObject only on the pipeline thread, so workers never write: they
    /// queue results, and the thread that created the fan-out drains them, without blocking
    /// while input is still arriving (<see cref="TryTake"/>) and blocking at the end
    /// (<see cref="TakeRemaining"/>). Draining from any other thread is a bug and throws.
    /// Work is started as it is added, so hosts coming down the pipeline start at once.
    /// A stop waits for running work only for a bounded time (<see cref="DefaultStopWait"/>):
    /// whoever stopped wants the pipeline back; work still running then gets a result that
    /// says so (<see cref="WorkStillRunningException"/>) instead of none.
    /// </remarks>
    public sealed class FanOut<TResult> : IDisposable
    {
        /// <summary>
        /// How long a stop waits for running work to end before reporting what is left as still
        /// running: Ctrl+C must give the pipeline back within about a second, and stopped work
        /// has half a second to confirm its end on the host (see SshSession.RunStoppableAsync).
        /// </summary>
        public static readonly TimeSpan DefaultStopWait = TimeSpan.FromSeconds(0.8);

        private readonly SemaphoreSlim slots;
        private readonly CancellationTokenSource stop;
        private readonly BlockingCollection<TResult> results = new BlockingCollection<TResult>();
        private readonly ConcurrentBag<Piece> started = new ConcurrentBag<Piece>();
        private readonly int ownerThreadId = Environment.CurrentManagedThreadId;
        private readonly object gate = new object();
        private int total;
        private int finished;
        private bool addingComplete;
        private bool disposed;

        /// <summary>Creates a fan-out; <paramref name="cancellationToken"/> stops work not yet finished.</summary>
        public FanOut(int throttleLimit, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (throttleLimit < 1 || throttleLimit > 1024)
            {
                throw new ArgumentOutOfRangeException(nameof(throttleLimit), throttleLimit, "The throttle limit must be between 1 and 1024.");
            }

            ThrottleLimit = throttleLimit;
            slots = new SemaphoreSlim(throttleLimit, throttleLimit);
            EnsureThreadPoolFloor(throttleLimit);
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        /// <summary>The most pieces of work that run at once.</summary>
        public int ThrottleLimit { get; }

        /// <summary>How many pieces of work were added.</summary>
        public int Total => Volatile.Read(ref total);

        /// <summary>How many have finished, in any way.</summary>
        public int Finished => Volatile.Read(ref finished);

        /// <summary>
        /// Adds work. <paramref name="work"/> gets a token that fires when the fan-out is stopped;
        /// <paramref name="onFault"/> turns anything it throws (or a stop before it started)
        /// into a result, so every piece of work yields exactly one result.
        /// </summary>
        public void Add(Func<CancellationToken, Task<TResult>> work, Func<Exception, TResult> onFault)
        {
            if (work == null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            if (onFault == null)
            {
                throw new ArgumentNullException(nameof(onFault));
            }

            lock (gate)
            {
                if (addingComplete)
                {
                    throw new InvalidOperationException("No work can be added after Complete().");
                }

                total++;
            }

            var piece = new Piece(onFault);
            piece.Task = Task.Run(() => RunOneAsync(piece, work));
            started.Add(piece);
        }

        /// <summary>Says that no more work will be added.</summary>
        public void Complete()
        {
            lock (gate)
            {
                addingComplete = true;
                if (finished == total)
                {
                    results.CompleteAdding();
                }
            }
        }

        /// <summary>Stops work: running pieces see their token fire, waiting ones never start.</summary>
        public void Stop()
        {
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Stopped after the end: nothing left to stop.
            }
        }

        /// <summary>Takes a finished result if one is waiting; never blocks.</summary>
        public bool TryTake(out TResult result)
        {
            AssertOwnerThread();
            return results.TryTake(out result);
        }

        /// <summary>
        /// Takes results as they finish, blocking until all added work is done.
        /// Call <see cref="Complete"/> first.
        /// </summary>
        public IEnumerable<TResult> TakeRemaining()
        {
            AssertOwnerThread();
            lock (gate)
            {
                if (!addingComplete)
                {
                    throw new InvalidOperationException("Call Complete() before TakeRemaining(), or it would wait forever.");
                }
            }

            foreach (TResult result in results.GetConsumingEnumerable())
            {
                AssertOwnerThread();
                yield return result;
            }
        }

        /// <summary>
        /// Takes the next result, waiting at most <paramref name="wait"/>; false on time-out or
        /// when all work is done and taken. Lets the consumer report progress while it waits.
        /// </summary>
        public bool TryTake(out TResult result, TimeSpan wait)
        {
            AssertOwnerThread();
            try
            {
                return results.TryTake(out result, wait);
            }
            catch (InvalidOperationException)
            {
                result = default(TResult);
                return false;
            }
        }

        /// <summary>
        /// Stops work, waits at most <paramref name="wait"/> for running pieces to end, and takes
        /// every result not taken yet: work that finished (or was cut short) after its consumer
        /// stopped reading still made its changes, and those must still be accounted for. A piece
        /// still running after the wait is not waited for: its result is the one its onFault
        /// makes of a <see cref="WorkStillRunningException"/>, and what it returns later is dropped.
        /// </summary>
        public IReadOnlyList<TResult> StopAndCollect(TimeSpan wait)
        {
            Stop();
            WaitForStarted(wait);
            var remaining = new List<TResult>();
            lock (gate)
            {
                if (disposed)
                {
                    return remaining;
                }
            }

            foreach (Piece piece in started)
            {
                if (piece.Claim())
                {
                    Deliver(SafeFault(piece.OnFault, new WorkStillRunningException(wait)));
                }
            }

            while (results.TryTake(out TResult result))
            {
                remaining.Add(result);
            }

            return remaining;
        }

        /// <summary>True when all added work is done and every result was taken.</summary>
        public bool IsDrained => results.IsCompleted;

        /// <inheritdoc />
        /// <remarks>
        /// Waits at most <see cref="DefaultStopWait"/> for stopped work to notice, so that little
        /// runs on after the cmdlet returns; results not taken by then are dropped, so a consumer
        /// that stopped early calls <see cref="StopAndCollect"/> first.
        /// </remarks>
        public void Dispose()
        {
            Stop();
            WaitForStarted(DefaultStopWait);

            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                disposed = true;
            }

            stop.Dispose();
            slots.Dispose();
            results.Dispose();
        }

        private void WaitForStarted(TimeSpan wait)
        {
            // Pieces whose result was already given out (a stop reported them as still running)
            // are not waited for again.
            var running = new List<Task>();
            foreach (Piece piece in started)
            {
                if (!piece.Claimed && piece.Task != null)
                {
                    running.Add(piece.Task);
                }
            }

            try
            {
                Task.WaitAll(running.ToArray(), wait);
            }
            catch (AggregateException)
            {
                // Faults were already turned into results; nothing more to report here.
            }
        }

        private async Task RunOneAsync(Piece piece, Func<CancellationToken, Task<TResult>> work)
        {
            TResult result;
            bool holdsSlot = false;
            try
            {
                await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                holdsSlot = true;

                // A slot freed by a stopped piece of work can reach a waiter before the waiter
                // sees the stop; work must not start after Stop() all the same.
                stop.Token.ThrowIfCancellationRequested();
                result = await work(stop.Token).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                result = SafeFault(piece.OnFault, error);
            }
            finally
            {
                if (holdsSlot)
                {
                    ReleaseQuietly();
                }
            }

            // A stop that gave up waiting already reported this piece as still running.
            if (piece.Claim())
            {
                Deliver(result);
            }
        }

        private void Deliver(TResult result)
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                results.Add(result);
                finished++;
                if (addingComplete && finished == total)
                {
                    results.CompleteAdding();
                }
            }
        }

        // SSH.NET waits synchronously inside its async connect (key exchange, authentication),
        // so each running host can hold a pool thread. With the default floor (one thread per
        // core) the pool then grows by about one thread a second, and a fan-out of 64 hosts
        // crawls. The floor is only raised, never lowered: idle threads retire by themselves.
        private static void EnsureThreadPoolFloor(int throttleLimit)
        {
            ThreadPool.GetMinThreads(out int workers, out int completionPorts);
            int wanted = Math.Min(throttleLimit * 2 + Environment.ProcessorCount, 1024);
            if (workers < wanted)
            {
                ThreadPool.SetMinThreads(wanted, Math.Max(completionPorts, wanted));
            }
        }

        private static TResult SafeFault(Func<Exception, TResult> onFault, Exception error)
        {
            try
            {
                return onFault(error);
            }
            catch (Exception)
            {
                return default(TResult);
            }
        }

        private void ReleaseQuietly()
        {
            try
            {
                slots.Release();
            }
            catch (ObjectDisposedException)
            {
                // Disposed after a stop: nobody waits for the slot any more.
            }
        }

        // One piece of work, and whether its one result was given out (by the work when it ends,
        // or by a stop that stopped waiting for it): whichever comes first, never both.
        private sealed class Piece
        {
            private int claimed;

            public Piece(Func<Exception, TResult> onFault)
            {
                OnFault = onFault;
            }

            public Func<Exception, TResult> OnFault { get; }

            public Task Task { get; set; }

            public bool Claimed => Volatile.Read(ref claimed) == 1;

            public bool Claim() => Interlocked.Exchange(ref claimed, 1) == 0;
        }

        private void AssertOwnerThread()
        {
            if (Environment.CurrentManagedThreadId != ownerThreadId)
            {
                throw new InvalidOperationException(
                    $"Results must be taken on the thread that created the fan-out (thread {ownerThreadId}), not thread {Environment.CurrentManagedThreadId}: PowerShell writes output only from the pipeline thread.");
            }
        }
    }
}
