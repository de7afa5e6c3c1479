using System;

namespace RemoteOps.Core.Laptops.Reports
{
    /// <summary>How the fleet fared against one check.</summary>
    public sealed class CheckSummary
    {
        /// <summary>The check's identifier.</summary>
        public string Check { get; set; }

        /// <summary>The check in words.</summary>
        public string Title { get; set; }

        /// <summary>Laptops that meet the check.</summary>
        public int Compliant { get; set; }

        /// <summary>Laptops that do not.</summary>
        public int NonCompliant { get; set; }

        /// <summary>Laptops the check could not be made on.</summary>
        public int Error { get; set; }

        /// <summary>Laptops the check does not apply to.</summary>
        public int NotApplicable { get; set; }

        /// <summary>
        /// Compliant laptops as a share of those the check applies to (an error counts as not
        /// passed: nobody knows the laptop is compliant), or null when it applies to none.
        /// </summary>
        public double? PassRate
        {
            get
            {
                int counted = Compliant + NonCompliant + Error;
                return counted == 0 ? (double?)null : Math.Round(100.0 * Compliant / counted, 1);
            }
        }
    }
}
