using System.Collections.Generic;
using System.Management.Automation;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// The SSH cmdlets that work on hosts (commands, transfers): either on hosts named with
    /// -ComputerName, each over a fresh connection, or over held sessions (-Session, or sessions
    /// from the pipeline) opened by New-RoSshSession, as Invoke-Command does with PSSessions.
    /// </summary>
    public abstract class SshWorkCmdletBase<TResult> : SshFanOutCmdletBase<TResult>
        where TResult : class
    {
        /// <summary>
        /// The parameter set that works over held sessions. It is the cmdlets' default set: PowerShell
        /// binds piped input to the default set first, and a session piped in must bind to -Session,
        /// not by its ComputerName property to -ComputerName. Strings, inventory rows and positional
        /// host names do not fit -Session and still bind to -ComputerName.
        /// </summary>
        public const string SessionSet = "Session";

        /// <summary>Held sessions from New-RoSshSession or Get-RoSshSession to work over, instead of new connections.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = SessionSet)]
        [ValidateNotNullOrEmpty]
        public HeldSshSession[] Session { get; set; }

        /// <summary>
        /// Where each host of the current pipeline object gets its connection: the held sessions,
        /// or a fresh connection per validated host name (a bad name or a missing pin writes an
        /// error for that host and yields nothing for it).
        /// </summary>
        protected IEnumerable<ISshSessionSource> SourcesOfThisRecord()
        {
            if (ParameterSetName == SessionSet)
            {
                foreach (HeldSshSession session in Session)
                {
                    if (session != null)
                    {
                        yield return session.AsSource();
                    }
                }

                yield break;
            }

            string[] pins = PinsOfThisRecord();
            foreach (string name in ComputerName)
            {
                SshTarget target = ParseTarget(name);
                if (target == null)
                {
                    continue;
                }

                SshEndpoint endpoint = BuildEndpoint(target, pins);
                if (endpoint == null)
                {
                    continue;
                }

                yield return new FreshSshSessionSource(endpoint.Target, endpoint.Credentials, endpoint.Options);
            }
        }
    }
}
