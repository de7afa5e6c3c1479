using System;

namespace RemoteOps.Core.Diagnostics
{
    /// <summary>One check of a remote-access diagnosis and the evidence it rests on (never a password, code or key).</summary>
    public sealed class RemoteAccessCheckResult
    {
        /// <summary>The check's stable name ("VpnAccount", "SecondFactor", "Gateway", ...).</summary>
        public string Check { get; set; }

        /// <summary>What was checked: the appliance ("ocserv 198.18.2.11") or gateway address.</summary>
        public string Target { get; set; }

        /// <summary>How the check came out.</summary>
        public RemoteAccessCheckStatus Status { get; set; }

        /// <summary>The cause this check found, or None when it passed.</summary>
        public RemoteAccessCause Cause { get; set; }

        /// <summary>What was read, in plain words.</summary>
        public string Evidence { get; set; }

        /// <summary>What to do about this check's finding, or null when nothing is needed.</summary>
        public string NextStep { get; set; }

        /// <summary>How long the check took.</summary>
        public TimeSpan Duration { get; set; }

        /// <summary>A result that found nothing wrong.</summary>
        public static RemoteAccessCheckResult Passed(string check, string target, string evidence) =>
            new RemoteAccessCheckResult { Check = check, Target = target, Status = RemoteAccessCheckStatus.Passed, Cause = RemoteAccessCause.None, Evidence = evidence };

        /// <summary>A result that found a cause.</summary>
        public static RemoteAccessCheckResult Found(string check, string target, RemoteAccessCheckStatus status, RemoteAccessCause cause, string evidence, string nextStep) =>
            new RemoteAccessCheckResult { Check = check, Target = target, Status = status, Cause = cause, Evidence = evidence, NextStep = nextStep };

        /// <summary>A check that this RemoteOps cannot make, with the reason.</summary>
        public static RemoteAccessCheckResult NotAvailable(string check, string target, string reason) =>
            new RemoteAccessCheckResult { Check = check, Target = target, Status = RemoteAccessCheckStatus.NotAvailable, Cause = RemoteAccessCause.None, Evidence = reason };

        /// <inheritdoc />
        public override string ToString() => $"{Status,-12} {Check} {Target}".TrimEnd();
    }
}
