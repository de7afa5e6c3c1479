using System.Collections;
using System.Management.Automation;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Vpn.ConnectSecure;
using RemoteOps.Core.Vpn.Ocserv;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>
    /// The 0.1 way to connect to a VPN appliance, kept so that existing scripts keep working:
    /// Connect-RoAppliance with the VPN drivers' settings as parameters.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "RoVpnAppliance", HelpUri = HelpLinks.CmdletReference + "Connect-RoVpnAppliance.md")]
    [OutputType(typeof(ApplianceConnection))]
    public sealed class ConnectRoVpnApplianceCommand : ApplianceConnectCmdletBase
    {
        /// <summary>The appliance kind: Ocserv (over SSH), ConnectSecure or FortiGate (REST).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet(OcservAppliance.DriverName, ConnectSecureAppliance.DriverName, Core.Vpn.FortiGate.FortiGateAppliance.DriverName)]
        public string Driver { get; set; }

        /// <summary>Connect Secure: the admin realm to log in to (default "Admin Users").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AdminRealm { get; set; }

        /// <summary>Connect Secure: the local authentication server holding VPN users (default "System Local").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuthServer { get; set; }

        /// <summary>ocserv: path of ocserv.conf on the appliance (default /etc/ocserv/ocserv.conf).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ConfigPath { get; set; }

        /// <summary>ocserv: do not use 'sudo -n' (the SSH user is root or may run occtl and ocpasswd itself).</summary>
        [Parameter]
        public SwitchParameter NoSudo { get; set; }

        /// <inheritdoc />
        protected override string DriverName => Driver;

        /// <inheritdoc />
        protected override IDictionary DriverSettings
        {
            get
            {
                // Each parameter is a setting of one driver; given to another driver it is refused by name.
                var settings = new Hashtable();
                if (AdminRealm != null)
                {
                    settings[nameof(ConnectSecureOptions.AdminRealm)] = AdminRealm;
                }

                if (AuthServer != null)
                {
                    settings[nameof(ConnectSecureOptions.AuthServer)] = AuthServer;
                }

                if (ConfigPath != null)
                {
                    settings[nameof(OcservOptions.ConfigPath)] = ConfigPath;
                }

                if (NoSudo.IsPresent)
                {
                    settings[nameof(OcservOptions.UseSudo)] = !NoSudo.ToBool();
                }

                return settings;
            }
        }

        /// <inheritdoc />
        protected override string ErrorFamily => VpnCmdletBase.ErrorFamily;
    }
}
