using System.Linq;
using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Ends VPN sessions: piped from Get-RoVpnSession, or all sessions of a user.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "RoVpnSession", HelpUri = HelpLinks.CmdletReference + "Disconnect-RoVpnSession.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(VpnSession))]
    public sealed class DisconnectRoVpnSessionCommand : VpnCmdletBase
    {
        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.VpnSessions;

        private const string SessionSet = "Session";
        private const string UserSet = "User";
        private AuditTrail audit;

        /// <summary>Sessions to end, from Get-RoVpnSession.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = SessionSet)]
        [ValidateNotNull]
        public VpnSession[] Session { get; set; }

        /// <summary>End every session of this user.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UserSet)]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; }

        /// <summary>Write each ended session to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            audit = new AuditTrail(this, AuditLogPath, null);
            audit.RequireWritable();
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ApplianceConnection connection = ResolvedConnection;
            VpnSession[] sessions = Session;
            if (ParameterSetName == UserSet)
            {
                if (!VpnUserName.IsValid(UserName))
                {
                    ThrowTerminatingError(ArgumentErrors.Invalid("InvalidUserName", $"'{UserName}' is not a valid VPN user name: use {VpnUserName.ValidForm}.", UserName));
                }

                sessions = RunOrWriteError(token => Vpn.GetSessionsAsync(UserName, token), UserName)?.ToArray();
                if (sessions == null)
                {
                    return;
                }
            }

            foreach (VpnSession session in sessions)
            {
                if (session.Appliance != null && !string.Equals(session.Appliance, connection.Address, System.StringComparison.OrdinalIgnoreCase))
                {
                    // A session id means nothing on another appliance, and could end a stranger's session there.
                    WriteError(new ErrorRecord(
                        new System.ArgumentException($"Session {session.SessionId} of {session.UserName} belongs to {session.Appliance}, not to {connection.Address}; pass that appliance's -Connection."),
                        "SessionOfOtherAppliance",
                        ErrorCategory.InvalidArgument,
                        session));
                    continue;
                }

                string target = $"session {session.SessionId} of {session.UserName} on {connection.Address}";
                if (!ShouldProcess(target, "End VPN session"))
                {
                    continue;
                }

                var ended = RunOrWriteError(async token => (object)await Vpn.DisconnectSessionAsync(session, token).ConfigureAwait(false), session);
                if (ended == null)
                {
                    audit.Record($"{session.UserName}@{connection.Address}", "Disconnect-RoVpnSession", "Failed", session.SessionId);
                    continue;
                }

                bool wasThere = (bool)ended;
                audit.Record($"{session.UserName}@{connection.Address}", "Disconnect-RoVpnSession", wasThere ? "Disconnected" : "NoChange", session.SessionId);
                WriteVerbose(wasThere ? $"Ended {target}." : $"{target} had already ended.");
                if (PassThru)
                {
                    WriteObject(session);
                }
            }
        }
    }
}
