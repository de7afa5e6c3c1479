using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// The ends of stopped commands still under way on their hosts. A stop gives the pipeline
    /// back before the hosts confirm (see SshSession.RunStoppableAsync), and a script that then
    /// exits, as a runbook does when its last line is done, would take the kill channels down
    /// with the process: a host whose kill had not started yet would run the command on. So the
    /// process waits for them when it exits, for at most <see cref="ExitWait"/>.
    /// </summary>
    internal static class RemoteStopsInFlight
    {
        /// <summary>
        /// The longest the process waits at exit. A host's end normally takes well under a
        /// second; one that does not answer gives up after the wait for the command's process
        /// report (5 s), the kill channel's opening (the connect time-out), the kill's own limit
        /// (8 s) and the channels' closing (a second each). On Windows PowerShell, .NET Framework
        /// gives all exit handlers together about 2 s.
        /// </summary>
        internal static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(30);

        private static readonly object Gate = new object();
        private static readonly HashSet<Task> Pending = new HashSet<Task>();
        private static bool waitsAtExit;

        /// <summary>True while <paramref name="ending"/> is tracked and not complete.</summary>
        internal static bool IsPending(Task ending)
        {
            lock (Gate)
            {
                return Pending.Contains(ending);
            }
        }

        /// <summary>Keeps <paramref name="ending"/> in the list until it completes, and the process from exiting before it has.</summary>
        internal static void Track(Task ending)
        {
            if (ending == null)
            {
                throw new ArgumentNullException(nameof(ending));
            }

            lock (Gate)
            {
                if (!waitsAtExit)
                {
                    AppDomain.CurrentDomain.ProcessExit += (sender, args) => WaitForAll(ExitWait);
                    waitsAtExit = true;
                }

                Pending.Add(ending);
            }

            ending.ContinueWith(
                done =>
                {
                    lock (Gate)
                    {
                        Pending.Remove(done);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        /// <summary>Waits for every end under way, at most <paramref name="limit"/>; true when none is left.</summary>
        internal static bool WaitForAll(TimeSpan limit)
        {
            Task[] pending;
            lock (Gate)
            {
                pending = Pending.ToArray();
            }

            try
            {
                return Task.WaitAll(pending, limit);
            }
            catch (AggregateException)
            {
                // Each end reports its own failure in its result; here only its completion counts.
                return true;
            }
        }
    }
}
