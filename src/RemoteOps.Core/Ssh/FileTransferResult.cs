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
    public sealed class FileTransferResult : HostResult
    {
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

        /// <summary>An empty result for a transfer with <paramref name="target"/>, started now.</summary>
        public static FileTransferResult ForTarget(SshTarget target, TransferDirection direction, string source, string destination) => new FileTransferResult
        {
            ComputerName = target.Host,
            Port = target.Port,
            Direction = direction,
            Source = source,
            Destination = destination,
            StartTime = DateTimeOffset.UtcNow,
        };
    }
}
