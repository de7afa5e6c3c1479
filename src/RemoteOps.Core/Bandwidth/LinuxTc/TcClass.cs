namespace RemoteOps.Core.Bandwidth.LinuxTc
{
    /// <summary>One HTB class as tc lists it, with its counters.</summary>
    public sealed class TcClass
    {
        /// <summary>"1:10".</summary>
        public string ClassId { get; set; }

        /// <summary>The parent class ("1:1"), or null for a class at the root.</summary>
        public string Parent { get; set; }

        /// <summary>The leaf priority (null for an inner class).</summary>
        public int? Priority { get; set; }

        /// <summary>The guaranteed rate in bits per second.</summary>
        public long? Rate { get; set; }

        /// <summary>The ceiling in bits per second.</summary>
        public long? Ceiling { get; set; }

        /// <summary>Bytes sent.</summary>
        public long? Bytes { get; set; }

        /// <summary>Packets sent.</summary>
        public long? Packets { get; set; }

        /// <summary>Packets dropped.</summary>
        public long? Drops { get; set; }

        /// <summary>Times over the limit.</summary>
        public long? Overlimits { get; set; }

        /// <summary>The rate estimator's value in bits per second (only with an estimator).</summary>
        public long? CurrentRate { get; set; }
    }
}
