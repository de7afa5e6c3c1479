using System.Collections.Generic;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>How a code test ended.</summary>
    public enum SecurIdCodeTestOutcome
    {
        /// <summary>The service accepted the code.</summary>
        Succeeded,

        /// <summary>The service refused the code (wrong code, or a locked or disabled token).</summary>
        Failed,

        /// <summary>The service wants more (the next tokencode, a new PIN); the attempt was cancelled.</summary>
        Challenge,

        /// <summary>The service offered no SecurID token method for this user (none assigned, or not applicable).</summary>
        MethodUnavailable,

        /// <summary>The service asked for no second factor at all, so the code was not checked.</summary>
        NotRequired,

        /// <summary>The service reported an error for the attempt.</summary>
        Error,
    }

    /// <summary>The result of an Authentication API round trip; it never holds the code.</summary>
    public sealed class SecurIdCodeTestResult
    {
        /// <summary>The subject (user) tested.</summary>
        public string UserName { get; set; }

        /// <summary>The Authentication API host.</summary>
        public string Appliance { get; set; }

        /// <summary>The outcome.</summary>
        public SecurIdCodeTestOutcome Result { get; set; }

        /// <summary>True for <see cref="SecurIdCodeTestOutcome.Succeeded"/>.</summary>
        public bool Succeeded => Result == SecurIdCodeTestOutcome.Succeeded;

        /// <summary>The service's attemptResponseCode (SUCCESS, FAIL, CHALLENGE, ERROR).</summary>
        public string AttemptResponseCode { get; set; }

        /// <summary>The service's attemptReasonCode, if any.</summary>
        public string AttemptReasonCode { get; set; }

        /// <summary>The method the code was checked with (SECURID or TOKEN), or null.</summary>
        public string MethodId { get; set; }

        /// <summary>The method's result code, if any.</summary>
        public string MethodResponseCode { get; set; }

        /// <summary>The method's reason code, if any.</summary>
        public string MethodReasonCode { get; set; }

        /// <summary>What the service asks for next, or the methods it offered, as "METHOD: prompt" lines.</summary>
        public IReadOnlyList<string> Challenge { get; set; } = new List<string>();
    }
}
