using System;
using System.Collections.Generic;

namespace RemoteOps.Core.Appliances
{
    /// <summary>A configuration backup.</summary>
    public sealed class ConfigBackup
    {
        /// <summary>The driver that made it.</summary>
        public string Driver { get; set; }

        /// <summary>The appliance it came from.</summary>
        public string Appliance { get; set; }

        /// <summary>When it was taken.</summary>
        public DateTimeOffset Time { get; set; }

        /// <summary>Named parts (file name to text), for example ocserv.conf and users.</summary>
        public IDictionary<string, string> Sections { get; set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    }
}
