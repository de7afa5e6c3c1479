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

        /// <summary>True for host:port and [IPv6]:port; a bare IPv6 address has colons but no port.</summary>
        internal static bool HasExplicitPort(string name)
        {
            int colons = 0;
            foreach (char c in name)
            {
                colons += c == ':' ? 1 : 0;
            }

            return name.Contains("]:") || colons == 1;
        }
    }
}
