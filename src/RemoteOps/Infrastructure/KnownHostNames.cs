using System;
using System.Management.Automation;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Infrastructure
{
    /// <summary>Reads a host name given to a known-hosts cmdlet, with the same rules as the connecting cmdlets.</summary>
    internal static class KnownHostNames
    {
        /// <summary>The parsed name, or null after writing a non-terminating InvalidComputerName error.</summary>
        internal static SshTarget Parse(PSCmdlet cmdlet, string name, int port)
        {
            try
            {
                return SshTarget.Parse(name, port);
            }
            catch (ArgumentException error)
            {
                cmdlet.WriteError(ArgumentErrors.Invalid("InvalidComputerName", error.Message, name, error));
                return null;
            }
        }
    }
}
