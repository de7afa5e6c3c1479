using System;

namespace RemoteOps.Core.Hosts
{
    /// <summary>
    /// What every piece of work done on one host reports, whatever the work was (a command, a
    /// file transfer, a check): which host, how it fared, why not, what to do, how long it took.
    /// </summary>
    public abstract class HostResult
    {
        /// <summary>The host as the user named it.</summary>
        public string ComputerName { get; set; }

        /// <summary>The port the work connected to.</summary>
        public int Port { get; set; }

        /// <summary>How the host fared.</summary>
        public HostStatus Status { get; set; }

        /// <summary>When work on this host started.</summary>
        public DateTimeOffset StartTime { get; set; }

        /// <summary>Connect plus work time.</summary>
        public TimeSpan Duration { get; set; }

        /// <summary>Why the host did not succeed, or null.</summary>
        public string Message { get; set; }

        /// <summary>What to do about the failure, or null.</summary>
        public string Remedy { get; set; }

        /// <summary>The SHA-256 fingerprint of the host key the connection used or was refused for.</summary>
        public string HostKeyFingerprint { get; set; }

        /// <summary>True when this run trusted the host's key on first use (-HostKeyPolicy AcceptNew) and recorded it.</summary>
        public bool HostKeyRecorded { get; set; }

        /// <summary>True when the work ran over a held session whose connection had dropped and was opened again for it.</summary>
        public bool Reconnected { get; set; }

        /// <summary>True when the host succeeded.</summary>
        public bool Succeeded => Status == HostStatus.Succeeded;

        /// <summary>Records a classified failure.</summary>
        public void Fail(HostFailure failure)
        {
            if (failure == null)
            {
                throw new ArgumentNullException(nameof(failure));
            }

            Status = failure.Status;
            Message = failure.Message;
            Remedy = failure.Remedy;
            if (failure.PresentedFingerprint != null)
            {
                HostKeyFingerprint = failure.PresentedFingerprint;
            }
        }
    }
}
