using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// The fan-out plumbing of the multi-host cmdlets: hosts start as they come down the
    /// pipeline, results are written as each host finishes, progress shows done/total, and
    /// Ctrl+C stops hosts not yet finished.
    /// </summary>
    public abstract class FanOutCmdletBase<TResult> : PSCmdlet, IDisposable
        where TResult : class
    {
        private const int ProgressId = 7301;
        private FanOut<TResult> fanOut;
        private ProgressRecord progress;
        private DateTime lastProgress = DateTime.MinValue;

        /// <summary>Default number of hosts worked on at once.</summary>
        public const int DefaultThrottleLimit = 32;

        /// <summary>How many hosts are worked on at once.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>The activity shown by Write-Progress.</summary>
        protected abstract string ProgressActivity { get; }

        /// <summary>Writes one host's result (object, error) on the pipeline thread.</summary>
        protected abstract void WriteHostResult(TResult result);

        /// <summary>
        /// Records one host's result in the audit log. Called for every result before it is
        /// written, and also for results still queued when the run was stopped (Ctrl+C,
        /// Select-Object -First), which are never written but whose changes were made.
        /// </summary>
        protected virtual void AuditHostResult(TResult result)
        {
        }

        /// <summary>Where this invocation records its changes; null for a cmdlet that changes nothing.</summary>
        internal AuditTrail Audit { get; private protected set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            fanOut = new FanOut<TResult>(ThrottleLimit);
            progress = new ProgressRecord(ProgressId, ProgressActivity, "Starting");
        }

        /// <summary>Starts work for one host at once, then writes whatever has finished meanwhile.</summary>
        protected void Schedule(Func<CancellationToken, Task<TResult>> work, Func<Exception, TResult> onFault)
        {
            fanOut.Add(work, onFault);
            WriteFinished();
        }

        /// <summary>Writes results that are ready, without waiting.</summary>
        protected void WriteFinished()
        {
            while (fanOut.TryTake(out TResult result))
            {
                if (result != null)
                {
                    AuditHostResult(result);
                    WriteHostResult(result);
                }
            }

            ReportProgress(force: false);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            fanOut.Complete();
            WriteUntilDrainedOrStopped(
                fanOut,
                result =>
                {
                    AuditHostResult(result);
                    WriteHostResult(result);
                },
                () => ReportProgress(force: false));

            if (fanOut.Total > 0 && !Stopping)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }

        /// <summary>
        /// Writes a host's result object; for a host that did not succeed, first writes a
        /// non-terminating ErrorRecord (host as target) and attaches it to the object as ErrorRecord.
        /// Work that had to reconnect a held session says so in a warning.
        /// </summary>
        protected void WriteHostOutcome(HostResult result)
        {
            if (result.Reconnected)
            {
                WriteWarning($"The held session to {result.ComputerName}:{result.Port} had been dropped by the far end and was reconnected for this work (host key checked again).");
            }

            PSObject output = PSObject.AsPSObject(result);
            if (result.Status != HostStatus.Succeeded)
            {
                ErrorRecord error = ErrorRecords.ForHost(result.Status, result.ComputerName, result.Message, result.Remedy);
                output.Properties.Add(new PSNoteProperty("ErrorRecord", error));
                WriteError(error);
            }

            WriteObject(output);
        }

        /// <inheritdoc />
        protected override void StopProcessing() => fanOut?.Stop();

        /// <inheritdoc />
        public void Dispose()
        {
            AuditUnwrittenResults();
            fanOut?.Dispose();
            GC.SuppressFinalize(this);
        }

        // After a normal end every result was written and audited; after a stop the rest are
        // audited here, before the pipeline is given back (see AuditLeftovers).
        private void AuditUnwrittenResults() => AuditLeftovers(fanOut, FanOut<TResult>.DefaultStopWait, AuditHostResult);

        /// <summary>
        /// Hands each result of <paramref name="stage"/> (this cmdlet's fan-out, or a second one
        /// that applies what was confirmed) to <paramref name="write"/> as it finishes, until all
        /// are done or the pipeline is stopped: a stop gives the pipeline back at once instead of
        /// waiting for work that has not noticed it yet, and what is left is audited on dispose
        /// (see <see cref="AuditLeftovers"/>). <paramref name="eachTurn"/> runs at least every
        /// 100 ms meanwhile (progress). Call <c>stage.Complete()</c> first.
        /// </summary>
        protected void WriteUntilDrainedOrStopped<T>(FanOut<T> stage, Action<T> write, Action eachTurn = null)
            where T : class
        {
            while (!stage.IsDrained && !Stopping)
            {
                if (stage.TryTake(out T result, TimeSpan.FromMilliseconds(100)) && result != null)
                {
                    write(result);
                }

                eachTurn?.Invoke();
            }
        }

        /// <summary>
        /// Stops <paramref name="stage"/> (this cmdlet's fan-out, or a second one that applies
        /// what was confirmed) and audits every result it had not handed out: work that finished,
        /// or was cut short, after the pipeline stopped reading still made its changes, and work
        /// still running after <paramref name="wait"/> is audited as such (see
        /// FanOut.StopAndCollect). All lines go to the log in one write, not one disk flush per
        /// host. The pipeline is stopping, so a failure to audit cannot be written as an error any
        /// more: this never throws.
        /// </summary>
        protected void AuditLeftovers<T>(FanOut<T> stage, TimeSpan wait, Action<T> audit)
            where T : class
        {
            if (stage == null || stage.IsDrained)
            {
                return;
            }

            try
            {
                IReadOnlyList<T> unwritten = stage.StopAndCollect(wait);
                // Held lines are written in one go when the batch ends.
                using (Audit?.Batch())
                {
                    foreach (T result in unwritten)
                    {
                        if (result != null)
                        {
                            audit(result);
                        }
                    }
                }
            }
            catch (Exception)
            {
            }
        }

        private void ReportProgress(bool force)
        {
            int total = fanOut.Total;
            if (total == 0)
            {
                return;
            }

            // Progress records cost a host round trip; a few a second are plenty.
            DateTime now = DateTime.UtcNow;
            if (!force && (now - lastProgress).TotalMilliseconds < 200)
            {
                return;
            }

            lastProgress = now;
            int finished = fanOut.Finished;
            progress.StatusDescription = $"{finished} of {total} hosts done";
            progress.PercentComplete = Math.Min(100, finished * 100 / total);
            WriteProgress(progress);
        }
    }
}
