using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Opens SSH sessions to many hosts, in parallel, and holds them for later commands and transfers (-Session).</summary>
    [Cmdlet(VerbsCommon.New, "RoSshSession", HelpUri = HelpLinks.CmdletReference + "New-RoSshSession.md")]
    [OutputType(typeof(HeldSshSession))]
    public sealed class NewRoSshSessionCommand : SshFanOutCmdletBase<SshSessionOpenResult>, IDisposable
    {
        // Sessions opened but not yet written and listed. A stopped run (Ctrl+C, Stop-Job) drops
        // results that were never written; their sessions would stay open and be listed nowhere.
        private readonly ConcurrentDictionary<HeldSshSession, bool> unlisted = new ConcurrentDictionary<HeldSshSession, bool>();

        /// <summary>A name for the sessions, to find them by with Get-RoSshSession -Name; by default Session followed by the Id.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        /// <summary>Seconds between SSH keep-alives on an idle session, so that firewalls and NAT keep it and a dead host is noticed.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int KeepAliveSec { get; set; } = 30;

        /// <inheritdoc />
        protected override string ProgressActivity => "New-RoSshSession";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string[] pins = PinsOfThisRecord();
            foreach (string computerName in ComputerName)
            {
                SshTarget target = ParseTarget(computerName);
                if (target == null)
                {
                    continue;
                }

                SshEndpoint endpoint = BuildEndpoint(target, pins);
                if (endpoint == null)
                {
                    continue;
                }

                SshConnectOptions options = endpoint.Options;
                options.KeepAliveInterval = TimeSpan.FromSeconds(KeepAliveSec);
                SshCredentials credentials = endpoint.Credentials;
                TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSec);
                string name = Name;
                Schedule(
                    async token =>
                    {
                        SshSessionOpenResult result = await SshHostWork.OpenSessionAsync(target, credentials, options, name, timeout, token).ConfigureAwait(false);
                        if (result.Session != null)
                        {
                            unlisted[result.Session] = true;
                            if (token.IsCancellationRequested)
                            {
                                CloseUnlisted();
                            }
                        }

                        return result;
                    },
                    error => HostRun.Faulted(new SshSessionOpenResult { ComputerName = target.Host, Port = target.Port, UserName = target.UserName }, target.ToString(), error));
            }
        }

        /// <inheritdoc />
        protected override void WriteHostResult(SshSessionOpenResult result)
        {
            AuditRecordedHostKey(result.ComputerName, result.Port, result.HostKeyRecorded, result.HostKeyFingerprint);
            if (result.Session != null)
            {
                // A session a stop already closed is not written.
                if (unlisted.TryRemove(result.Session, out bool _))
                {
                    RunspaceSshSessions.Current.Add(result.Session);
                    WriteObject(result.Session);
                }

                return;
            }

            WriteError(ErrorRecords.ForHost(result.Status, result.ComputerName, result.Message, result.Remedy));
        }
    
        /// <summary>Ends the run; sessions a stop kept from being written are closed, not left open.</summary>
        void IDisposable.Dispose()
        {
            Dispose();
            CloseUnlisted();
        }

        private void CloseUnlisted()
        {
            foreach (HeldSshSession session in unlisted.Keys)
            {
                if (unlisted.TryRemove(session, out bool _))
                {
                    session.Close();
                }
            }
        }
    }
}
