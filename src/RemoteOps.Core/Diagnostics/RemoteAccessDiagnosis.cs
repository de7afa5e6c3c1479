using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Diagnostics
{
    /// <summary>
    /// Runs every check at the same time and joins their results into one verdict. A check that
    /// throws becomes a CouldNotRun result saying why (an appliance that does not answer is named
    /// as down); it never stops or hides the others. The password, if any, is masked in every
    /// piece of evidence, whatever a device or program echoed. REST requests made by the checks
    /// are not retried and are bounded by <see cref="RemoteAccessRequest.RequestTimeout"/>.
    /// </summary>
    public static class RemoteAccessDiagnosis
    {
        /// <summary>Runs the checks and returns the verdict.</summary>
        public static async Task<RemoteAccessVerdict> RunAsync(RemoteAccessRequest request, IReadOnlyList<IRemoteAccessCheck> checks, CancellationToken cancellationToken)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (checks == null)
            {
                throw new ArgumentNullException(nameof(checks));
            }

            Stopwatch total = Stopwatch.StartNew();
            RemoteAccessCheckResult[] results;

            // Reads only, and an answer is wanted now: one attempt per request, each bounded in
            // time, so that an appliance that is down is named as down in seconds.
            using (RestCallBudget.Limit(1, request.RequestTimeout))
            {
                results = await Task.WhenAll(checks.Select(check => RunOneAsync(check, request, cancellationToken))).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            string password = SecretText.Reveal(request.Password);
            foreach (RemoteAccessCheckResult result in results)
            {
                result.Evidence = AuditLog.Redact(result.Evidence, new[] { password });
                result.NextStep = AuditLog.Redact(result.NextStep, new[] { password });
            }

            return RemoteAccessVerdict.From(request.UserName, results, total.Elapsed);
        }

        private static async Task<RemoteAccessCheckResult> RunOneAsync(IRemoteAccessCheck check, RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            Stopwatch watch = Stopwatch.StartNew();
            RemoteAccessCheckResult result;
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                try
                {
                    // Yield first so that a check that blocks before its first await does not hold up the others.
                    await Task.Yield();
                    limit.CancelAfter(request.CheckTimeout);
                    result = await AbandonableWait.WaitAsync(check.RunAsync(request, limit.Token), limit.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException) when (limit.IsCancellationRequested)
                {
                    result = NotFinished(check, request.CheckTimeout);
                }
                catch (Exception error)
                {
                    result = CouldNotRun(check, error);
                }
            }

            result.Check = result.Check ?? check.Name;
            result.Target = result.Target ?? check.Target;
            result.Duration = watch.Elapsed;
            return result;
        }

        private static RemoteAccessCheckResult NotFinished(IRemoteAccessCheck check, TimeSpan limit) =>
            RemoteAccessCheckResult.Found(check.Name, check.Target, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None,
                $"The check did not finish within {limit.TotalSeconds:0.#} s and was stopped; the verdict was made without it.",
                $"Run the check's cmdlet on its own for {check.Target} to see what is slow, or give Test-RoRemoteAccess a longer -CheckTimeoutSec.");

        private static RemoteAccessCheckResult CouldNotRun(IRemoteAccessCheck check, Exception error)
        {
            var appliance = error as ApplianceException;

            // A login repeated inside the check (an expired api key) fails with the transport's
            // own exception, not a classified one: the appliance did not answer all the same.
            bool transport = error is TaskCanceledException || error is System.Net.Http.HttpRequestException;
            if ((appliance != null && appliance.Kind == ApplianceErrorKind.Unreachable) || transport)
            {
                return RemoteAccessCheckResult.Found(check.Name, check.Target, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.ApplianceDown,
                    $"The appliance did not answer: {error.Message}",
                    $"Check that {check.Target} is up and reachable from here (its console, power, network); until it answers nobody signs in through it.");
            }

            string remedy = appliance?.Remedy
                ?? (appliance != null && appliance.Kind == ApplianceErrorKind.AuthenticationFailed
                    ? $"Connect to {check.Target} again with an account that may read users and sessions (Connect-RoAppliance)."
                    : "Run the check's cmdlet on its own to see the full error, or ask the appliance's administrators.");
            return RemoteAccessCheckResult.Found(check.Name, check.Target, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None,
                $"The check could not run: {error.Message}", remedy);
        }
    }
}
