using System;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>
    /// A value that cannot go into the install files. Unlike ArgumentException's, the message is
    /// only the sentence for the user; the parameter the value came from is kept apart.
    /// </summary>
    public sealed class LaptopImageValueException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public LaptopImageValueException()
        {
        }

        /// <summary>Creates the exception.</summary>
        public LaptopImageValueException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception.</summary>
        public LaptopImageValueException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <summary>Creates the exception for a value of the given cmdlet parameter.</summary>
        public LaptopImageValueException(string message, string parameterName)
            : base(message)
        {
            ParameterName = parameterName;
        }

        /// <summary>The cmdlet parameter the value came from ("Baseline", "HostName", ...).</summary>
        public string ParameterName { get; }
    }
}
