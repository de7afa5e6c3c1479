using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Appliances.Planning
{
    /// <summary>How one step of an applied plan ended.</summary>
    public enum StepStatus
    {
        /// <summary>Applied (and verified, where a check was given).</summary>
        Applied,

        /// <summary>The device refused the step or the step threw; the run stopped there.</summary>
        Failed,

        /// <summary>Applied, but reading it back showed something else; the run stopped there.</summary>
        NotVerified,

        /// <summary>Not attempted because an earlier step failed or the run was stopped.</summary>
        NotRun,
    }

    /// <summary>One step's outcome.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    public sealed class StepResult<T>
    {
        internal StepResult(PlanStep<T> step, StepStatus status, Exception error)
        {
            Step = step;
            Status = status;
            Error = error;
        }

        /// <summary>The step.</summary>
        public PlanStep<T> Step { get; }

        /// <summary>How it ended.</summary>
        public StepStatus Status { get; }

        /// <summary>Why it failed, or null.</summary>
        public Exception Error { get; }
    }

    /// <summary>
    /// Applies a plan's changing steps one at a time, in order, verifying each where a check is
    /// given, and stops at the first failure: every step is then reported as applied, failed or
    /// not run, so a device is never left in an unknown state.
    /// </summary>
    public static class PlanRunner
    {
        /// <summary>Applies the plan.</summary>
        /// <param name="plan">The plan; unchanged steps are skipped.</param>
        /// <param name="apply">Sends one step to the device.</param>
        /// <param name="verify">Reads the step back; true when the device now holds it. Null skips verification.</param>
        /// <param name="onStep">Told each step's outcome as soon as it is known (logging, audit, progress).</param>
        /// <param name="cancellationToken">Stops before the next step; the remaining steps are NotRun.</param>
        public static async Task<IReadOnlyList<StepResult<T>>> ApplyAsync<T>(
            Plan<T> plan,
            Func<PlanStep<T>, CancellationToken, Task> apply,
            Func<PlanStep<T>, CancellationToken, Task<bool>> verify,
            Action<StepResult<T>> onStep,
            CancellationToken cancellationToken)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (apply == null)
            {
                throw new ArgumentNullException(nameof(apply));
            }

            var results = new List<StepResult<T>>();
            bool stopped = false;
            foreach (PlanStep<T> step in plan.Changes)
            {
                StepResult<T> result;
                if (stopped || cancellationToken.IsCancellationRequested)
                {
                    result = new StepResult<T>(step, StepStatus.NotRun, null);
                }
                else
                {
                    result = await RunOneAsync(step, apply, verify, cancellationToken).ConfigureAwait(false);
                    stopped = result.Status != StepStatus.Applied;
                }

                results.Add(result);
                onStep?.Invoke(result);
            }

            return results;
        }

        private static async Task<StepResult<T>> RunOneAsync<T>(PlanStep<T> step, Func<PlanStep<T>, CancellationToken, Task> apply,
            Func<PlanStep<T>, CancellationToken, Task<bool>> verify, CancellationToken cancellationToken)
        {
            try
            {
                await apply(step, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new StepResult<T>(step, StepStatus.NotRun, null);
            }
            catch (Exception error)
            {
                return new StepResult<T>(step, StepStatus.Failed, error);
            }

            if (verify == null)
            {
                return new StepResult<T>(step, StepStatus.Applied, null);
            }

            try
            {
                return await verify(step, cancellationToken).ConfigureAwait(false)
                    ? new StepResult<T>(step, StepStatus.Applied, null)
                    : new StepResult<T>(step, StepStatus.NotVerified, new InvalidOperationException($"'{step.Key}' was sent, but reading it back shows something else."));
            }
            catch (Exception error) when (!(error is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                return new StepResult<T>(step, StepStatus.NotVerified, error);
            }
        }
    }
}
