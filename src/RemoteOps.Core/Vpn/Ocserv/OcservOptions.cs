using RemoteOps.Core.Appliances;

namespace RemoteOps.Core.Vpn.Ocserv
{
    /// <summary>Where an ocserv keeps its configuration, users and control socket.</summary>
    public sealed class OcservOptions
    {
        /// <summary>The default configuration file of the Debian and upstream packages.</summary>
        public const string DefaultConfigPath = "/etc/ocserv/ocserv.conf";

        /// <summary>The password file used when the configuration names none.</summary>
        public const string DefaultPasswdPath = "/etc/ocserv/ocpasswd";

        /// <summary>Path of ocserv.conf on the appliance.</summary>
        [DriverSetting("Path of ocserv.conf on the appliance.")]
        public string ConfigPath { get; set; } = DefaultConfigPath;

        /// <summary>
        /// The ocpasswd file; null to take it from the configuration's
        /// <c>auth = "plain[passwd=...]"</c> line, else <see cref="DefaultPasswdPath"/>.
        /// </summary>
        [DriverSetting("The ocpasswd file; by default the one ocserv.conf names.")]
        public string PasswdPath { get; set; }

        /// <summary>
        /// occtl's control socket; null to take it from the configuration's
        /// <c>occtl-socket-file</c>, else occtl's built-in default (no -s option is passed).
        /// </summary>
        /// <remarks>
        /// The configuration's <c>socket-file</c> is the main-to-worker socket, not occtl's:
        /// occtl cannot talk to it.
        /// </remarks>
        [DriverSetting("occtl's control socket; by default ocserv.conf's occtl-socket-file.")]
        public string OcctlSocket { get; set; }

        /// <summary>
        /// Run occtl and ocpasswd through 'sudo -n' (the default for any account but root); false
        /// when the SSH account may run them itself.
        /// </summary>
        [DriverSetting("Run occtl and ocpasswd through 'sudo -n' (ignored for root).")]
        public bool UseSudo { get; set; } = true;

        /// <summary>
        /// Commands run at once over the one SSH connection. OpenSSH allows 10 channels per
        /// connection by default (sshd_config MaxSessions); keep this below the server's limit.
        /// </summary>
        [DriverSetting("Commands run at once over the SSH connection (1-64, default 8; keep it below the server's MaxSessions, 10 by default).")]
        public int MaxChannels
        {
            get => maxChannels;
            set => maxChannels = value >= 1 && value <= 64 ? value : throw new System.ArgumentException($"{value} is out of range: give 1 to 64, below the server's MaxSessions (OpenSSH's default is 10).");
        }

        private int maxChannels = Ssh.SshChannelGate.DefaultMaxChannels;
    }
}
