namespace RemoteOps.Core.Laptops
{
    /// <summary>How a laptop fared against one check, and what the verdict rests on.</summary>
    public sealed class LaptopCheckVerdict
    {
        /// <summary>Creates a verdict.</summary>
        public LaptopCheckVerdict(ComplianceStatus compliance, string evidence, string message = null)
        {
            Compliance = compliance;
            Evidence = evidence;
            Message = message;
        }

        /// <summary>The verdict.</summary>
        public ComplianceStatus Compliance { get; }

        /// <summary>What was read (never a secret).</summary>
        public string Evidence { get; }

        /// <summary>Why the laptop cannot be repaired by RemoteOps, or why the check could not be made; null otherwise.</summary>
        public string Message { get; }

        /// <summary>A compliant verdict.</summary>
        public static LaptopCheckVerdict Compliant(string evidence) => new LaptopCheckVerdict(ComplianceStatus.Compliant, evidence);

        /// <summary>A non-compliant verdict.</summary>
        public static LaptopCheckVerdict NonCompliant(string evidence, string message = null) => new LaptopCheckVerdict(ComplianceStatus.NonCompliant, evidence, message);

        /// <summary>A check that could not be made on the laptop (a tool missing, a command failing).</summary>
        public static LaptopCheckVerdict Error(string evidence, string message) => new LaptopCheckVerdict(ComplianceStatus.Error, evidence, message);

        /// <summary>A requirement that does not apply to the laptop.</summary>
        public static LaptopCheckVerdict NotApplicable(string evidence) => new LaptopCheckVerdict(ComplianceStatus.NotApplicable, evidence);
    }
}
