using System;
using RemoteOps.Core.Hosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>Which way a file went.</summary>
    public enum TransferDirection
    {
        /// <summary>From this machine to the host.</summary>
        Upload,

        /// <summary>From the host to this machine.</summary>
        Download,
    }

    /// <summary>The outcome of one file transfer with one host.</summary>
    public sealed class FileTransferResult
    {
        /// <summary>The host as the user named it.</summary>
        public string ComputerName { get; set; }

        /// <summary>The SSH port.</summary>
        public int Port { get; set; }

        /// <summary>How the host fared.</summary>
        public HostStatus Status { get; set; }

        /// <summary>Upload or download.</summary>
        public TransferDirection Direction { get; set; }

        /// <summary>Where the bytes came from.</summary>
        public string Source { get; set; }

        /// <summary>Where the bytes went.</summary>
        public string Destination { get; set; }

        /// <summary>How many bytes were transferred.</summary>
        public long Bytes { get; set; }

        /// <summary>SHA-256 of the bytes transferred, as lowercase hex, for checking copies against each other.</summary>
        public string Sha256 { get; set; }

        /// <summary>When work on this host started.</summary>
        public DateTimeOffset StartTime { get; set; }

        /// <summary>Connect plus transfer time.</summary>
        public TimeSpan Duration { get; set; }

        /// <summary>Why the host did not succeed, or null.</summary>
        public string Message { get; set; }

        /// <summary>What to do about the failure, or null.</summary>
        public string Remedy { get; set; }

        /// <summary>The SHA-256 fingerprint of the host key the connection used.</summary>
        public string HostKeyFingerprint { get; set; }

        /// <summary>True when this run trusted the host's key on first use (-HostKeyPolicy AcceptNew) and recorded it.</summary>
        public bool HostKeyRecorded { get; set; }

        /// <summary>True when the host succeeded.</summary>
        public bool Succeeded => Status == HostStatus.Succeeded;
    }
}
