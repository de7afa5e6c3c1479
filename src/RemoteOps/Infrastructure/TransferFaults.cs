using System;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Infrastructure
{
    /// <summary>The result reported for a transfer whose work never produced one (stopped before it started).</summary>
    internal static class TransferFaults
    {
        internal static FileTransferResult For(SshTarget target, TransferDirection direction, string source, string destination, Exception error) => new FileTransferResult
        {
            ComputerName = target.Host,
            Port = target.Port,
            Direction = direction,
            Source = source,
            Destination = destination,
            StartTime = DateTimeOffset.UtcNow,
            Status = error is OperationCanceledException ? HostStatus.Cancelled : HostStatus.Failed,
            Message = error is OperationCanceledException ? $"Work on {target} was stopped before it started." : $"{target}: {error.Message}",
        };
    }
}
