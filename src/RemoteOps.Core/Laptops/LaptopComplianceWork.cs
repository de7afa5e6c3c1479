using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// Checks one laptop against a baseline over a fresh or held SSH connection: one run of
    /// <see cref="LaptopEvidenceScript"/> (as root, through 'sudo -n' unless the login is root),
    /// then every check of the baseline judged on what it read. Runs through <see cref="HostRun"/>,
    /// so a host that cannot be reached yields Error results instead of an exception.
    /// </summary>
    public static class LaptopComplianceWork
    {
        /// <summary>Gathers the evidence and judges it.</summary>
        public static Task<LaptopHostCompliance> CheckAsync(ISshSessionSource source, LaptopBaseline baseline, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (source == null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            if (baseline == null)
            {
                throw new ArgumentNullException(nameof(baseline));
            }

            SshTarget target = source.Target;
            string script = LaptopEvidenceScript.For(baseline);
            return RunAsync(source, baseline, async (session, result, token) =>
            {
                SshCommandOutput output = await RunScriptAsync(session, script, timeout, token).ConfigureAwait(false);
                LaptopEvidence evidence = LaptopEvidence.Parse(output.StandardOutput);
                if (output.TimedOut)
                {
                    result.Status = HostStatus.TimedOut;
                    result.Message = $"Reading the evidence on {target} took longer than {timeout.TotalSeconds:0.#} s.";
                    result.Remedy = "Raise -TimeoutSec if the laptop is slow.";
                }
                else if (output.ExitCode != 0 || !evidence.Complete)
                {
                    result.Status = HostStatus.Failed;
                    result.Message = $"The evidence script failed on {target} (exit code {output.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}): {FirstLine(output.StandardError)}";
                    result.Remedy = target.UserName == "root" ? null : $"The checks run as root through 'sudo -n': give {target.UserName} password-less sudo on the laptop.";
                }
                else
                {
                    result.Evidence = evidence;
                    result.Status = HostStatus.Succeeded;
                }
            }, cancellationToken);
        }

        /// <summary>
        /// Runs <paramref name="work"/> on one leased connection and fills in the per-check results
        /// from the evidence it left on the host's result (Error results when it left none).
        /// </summary>
        internal static async Task<LaptopHostCompliance> RunAsync(
            ISshSessionSource source,
            LaptopBaseline baseline,
            Func<SshSession, LaptopHostCompliance, CancellationToken, Task> work,
            CancellationToken cancellationToken)
        {
            SshTarget target = source.Target;
            var start = new LaptopHostCompliance { ComputerName = target.Host, Port = target.Port, UserName = target.UserName, StartTime = DateTimeOffset.UtcNow };
            LaptopHostCompliance host = await HostRun.RunAsync(
                start,
                async (result, token) =>
                {
                    using (SshLease<SshSession> lease = await source.AcquireShellAsync(token).ConfigureAwait(false))
                    {
                        SshHostWork.NoteLease(result, lease.HostKeyVerdict, lease.Reconnected);
                        await work(lease.Session, result, token).ConfigureAwait(false);
                    }
                },
                (error, token) => SshFailureClassifier.ForWork(target, error, token),
                cancellationToken).ConfigureAwait(false);
            Judge(host, baseline);
            return host;
        }

        /// <summary>Fills in one result per check of the baseline from the host's evidence.</summary>
        public static void Judge(LaptopHostCompliance host, LaptopBaseline baseline)
        {
            host.Results.Clear();
            foreach (ILaptopCheck check in LaptopCheckRegistry.For(baseline))
            {
                var result = new LaptopComplianceResult
                {
                    ComputerName = host.ComputerName,
                    Port = host.Port,
                    Status = host.Status,
                    StartTime = host.StartTime,
                    Duration = host.Duration,
                    Message = host.Message,
                    Remedy = host.Remedy,
                    HostKeyFingerprint = host.HostKeyFingerprint,
                    HostKeyRecorded = host.HostKeyRecorded,
                    Reconnected = host.Reconnected,
                    Check = check.Id,
                    Title = check.Title,
                    Expected = check.Expected(baseline),
                };
                if (host.Evidence == null)
                {
                    result.Compliance = ComplianceStatus.Error;
                    result.Evidence = "not read: " + (host.Message ?? "the host did not answer");
                }
                else
                {
                    LaptopCheckVerdict verdict = Verdict(check, baseline, host.Evidence);
                    result.Compliance = verdict.Compliance;
                    result.Evidence = verdict.Evidence;
                    result.CanRepair = verdict.Compliance == ComplianceStatus.NonCompliant && SafeRepair(check, baseline, host.Evidence) != null;
                    if (verdict.Compliance == ComplianceStatus.Error)
                    {
                        result.Message = verdict.Message;
                    }
                    else if (verdict.Compliance == ComplianceStatus.NonCompliant)
                    {
                        result.Remedy = result.CanRepair ? "Repair-RoLaptopCompliance fixes this." : verdict.Message ?? "RemoteOps cannot repair this on the laptop; see docs/laptops.md.";
                    }
                }

                host.Results.Add(result);
            }
        }

        /// <summary>Runs a script as root (sudo -n unless the login is root), with the script on standard input.</summary>
        internal static Task<SshCommandOutput> RunScriptAsync(SshSession session, string script, TimeSpan timeout, CancellationToken cancellationToken)
        {
            bool sudo = !string.Equals(session.Target.UserName, "root", StringComparison.Ordinal);
            return session.RunAsync("sh -s", script, timeout, sudo, cancellationToken);
        }

        internal static string FirstLine(string text)
        {
            string line = (text ?? string.Empty).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
            return line == null ? "(no error output)" : line.Length > 300 ? line.Substring(0, 300) + "..." : line;
        }

        // A check that throws on odd evidence must not take the host's other results with it.
        private static LaptopCheckVerdict Verdict(ILaptopCheck check, LaptopBaseline baseline, LaptopEvidence evidence)
        {
            try
            {
                return check.Evaluate(baseline, evidence);
            }
            catch (Exception error) when (!(error is OutOfMemoryException))
            {
                return LaptopCheckVerdict.Error("the evidence could not be read: " + error.Message, $"The {check.Id} check failed on this laptop's evidence: {error.Message}");
            }
        }

        internal static LaptopRepairStep SafeRepair(ILaptopCheck check, LaptopBaseline baseline, LaptopEvidence evidence)
        {
            try
            {
                return check.Repair(baseline, evidence);
            }
            catch (Exception error) when (!(error is OutOfMemoryException))
            {
                return null;
            }
        }
    }
}
