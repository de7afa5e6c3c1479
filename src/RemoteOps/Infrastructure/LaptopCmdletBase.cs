using System.Management.Automation;
using RemoteOps.Core.Laptops;

namespace RemoteOps.Infrastructure
{
    /// <summary>The -Baseline parameter of the laptop compliance cmdlets, read and checked before any host is touched.</summary>
    public abstract class LaptopCmdletBase<TResult> : SshWorkCmdletBase<TResult>
        where TResult : class
    {
        /// <summary>The baseline: the path of a .json or .psd1 baseline file, a hashtable with its keys, or a LaptopBaseline.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNull]
        public object Baseline { get; set; }

        /// <summary>The baseline, checked.</summary>
        protected LaptopBaseline CheckedBaseline { get; private set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            CheckedBaseline = LaptopBaselineInput.Load(this, Baseline);
            base.BeginProcessing();
        }

        /// <summary>
        /// Writes one laptop's results. A laptop that could not be checked gets one error for the
        /// host (not one per check), attached to each of its results as ErrorRecord; a check that
        /// could not be made on a reachable laptop gets an error of its own.
        /// </summary>
        protected void WriteLaptopResults<T>(System.Collections.Generic.IEnumerable<T> results, string hostName, int port, bool reconnected, Core.Hosts.HostStatus status, string message, string remedy, System.Func<T, string> checkError)
            where T : class
        {
            if (reconnected)
            {
                WriteWarning($"The held session to {hostName}:{port} had been dropped by the far end and was reconnected for this work (host key checked again).");
            }

            ErrorRecord hostError = null;
            if (status != Core.Hosts.HostStatus.Succeeded)
            {
                hostError = ErrorRecords.ForHost(status, hostName, message, remedy);
                WriteError(hostError);
            }

            foreach (T result in results)
            {
                PSObject output = PSObject.AsPSObject(result);
                ErrorRecord error = hostError;
                string problem = hostError == null ? checkError(result) : null;
                if (problem != null)
                {
                    error = ErrorRecords.ForHost(Core.Hosts.HostStatus.Failed, hostName, problem, null);
                    WriteError(error);
                }

                if (error != null)
                {
                    output.Properties.Add(new PSNoteProperty("ErrorRecord", error));
                }

                WriteObject(output);
            }
        }
    }
}
