using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Core.Vpn;
using RemoteOps.Core.Vpn.ConnectSecure;
using RemoteOps.Core.Vpn.FortiGate;
using RemoteOps.Core.Vpn.Ocserv;
using RemoteOps.Infrastructure;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Commands
{
    /// <summary>Connects to a VPN appliance and returns the connection (also the default for later VPN cmdlets).</summary>
    [Cmdlet(VerbsCommunications.Connect, "RoVpnAppliance", DefaultParameterSetName = RestSet)]
    [OutputType(typeof(VpnConnection))]
    public sealed class ConnectRoVpnApplianceCommand : PSCmdlet, IDisposable
    {
        private const string RestSet = "Rest";
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();

        /// <summary>The appliance kind: Ocserv (over SSH), ConnectSecure or FortiGate (REST).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("Ocserv", "ConnectSecure", "FortiGate")]
        public string Driver { get; set; }

        /// <summary>The appliance: a host name or address (ocserv), or https://host[:port] (REST appliances).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Address { get; set; }

        /// <summary>The admin account and password (Connect Secure), the REST API token as password (FortiGate; the user name is not used), or the SSH account (ocserv).</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>REST: trust the appliance's certificate by its SHA-256 (or SHA-1) thumbprint instead of the system's CA store.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CertificateThumbprint { get; set; }

        /// <summary>REST: trust the appliance's public key by its SHA-256 SPKI pin (base64, optionally pin-sha256:).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string PublicKeyPin { get; set; }

        /// <summary>Connect Secure: the admin realm to log in to (default "Admin Users").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AdminRealm { get; set; } = "Admin Users";

        /// <summary>Connect Secure: the local authentication server holding VPN users (default "System Local").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuthServer { get; set; } = "System Local";

        /// <summary>ocserv: the SSH port (default 22).</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 22;

        /// <summary>ocserv: private key files for SSH.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] KeyFilePath { get; set; }

        /// <summary>ocserv: the SSH user when no -Credential is given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; }

        /// <summary>ocserv: how the SSH host key is checked (Strict by default).</summary>
        [Parameter]
        public HostKeyPolicyMode HostKeyPolicy { get; set; } = HostKeyPolicyMode.Strict;

        /// <summary>ocserv: SHA-256 fingerprints the SSH host key must match.</summary>
        [Parameter]
        public string[] HostKeyFingerprint { get; set; }

        /// <summary>ocserv: the known-hosts file; by default the RemoteOps store and ~/.ssh/known_hosts.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string KnownHostsPath { get; set; }

        /// <summary>ocserv: path of ocserv.conf on the appliance (default /etc/ocserv/ocserv.conf).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ConfigPath { get; set; } = "/etc/ocserv/ocserv.conf";

        /// <summary>ocserv: do not use 'sudo -n' (the SSH user is root or may run occtl and ocpasswd itself).</summary>
        [Parameter]
        public SwitchParameter NoSudo { get; set; }

        /// <summary>Seconds allowed to connect and for each request or command.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        /// <summary>Do not make this the default connection of the session.</summary>
        [Parameter]
        public SwitchParameter NotDefault { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            TlsTrust trust = ResolveTrust();
            VpnConnection connection;
            try
            {
                IVpnAppliance appliance = Driver == "Ocserv" ? ConnectOcserv()
                    : Driver == "FortiGate" ? ConnectFortiGate(trust)
                    : ConnectConnectSecure(trust);
                connection = new VpnConnection(appliance);
            }
            catch (Exception error) when (!(error is PipelineStoppedException) && !(error is OperationCanceledException))
            {
                ThrowTerminatingError(VpnConnections.ErrorFor(error is SshFailureException ssh ? Classified(ssh) : error, Address));
                return;
            }

            if (!NotDefault)
            {
                VpnConnections.SetDefault(this, connection);
            }

            WriteObject(connection);
        }

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        /// <inheritdoc />
        public void Dispose() => stopping.Dispose();

        private TlsTrust ResolveTrust()
        {
            try
            {
                if (CertificateThumbprint != null && PublicKeyPin != null)
                {
                    throw new ArgumentException("Give -CertificateThumbprint or -PublicKeyPin, not both.");
                }

                return CertificateThumbprint != null ? TlsTrust.PinCertificate(CertificateThumbprint)
                    : PublicKeyPin != null ? TlsTrust.PinPublicKey(PublicKeyPin)
                    : TlsTrust.SystemValidation;
            }
            catch (ArgumentException error)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("InvalidCertificatePin", error.Message, CertificateThumbprint ?? PublicKeyPin, error));
                return null;
            }
        }

        private Uri HttpsBase()
        {
            if (!Uri.TryCreate(Address.Contains("://") ? Address : "https://" + Address, UriKind.Absolute, out Uri uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"'{Address}' is not an https:// address or host name; {Driver} is managed over HTTPS.");
            }

            if (Credential == null)
            {
                throw new ArgumentException($"{Driver} needs -Credential: the REST admin account and password (Connect Secure) or the REST API token as password (FortiGate).");
            }

            return new Uri(uri.GetLeftPart(UriPartial.Authority));
        }

        private IVpnAppliance ConnectFortiGate(TlsTrust trust)
        {
            var options = new FortiGateOptions
            {
                BaseAddress = HttpsBase(),
                ApiToken = Credential.Password,
                Trust = trust,
                RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
            };
            return FortiGateAppliance.OpenAsync(options, stopping.Token).GetAwaiter().GetResult();
        }

        private IVpnAppliance ConnectConnectSecure(TlsTrust trust)
        {
            var options = new ConnectSecureOptions
            {
                BaseAddress = HttpsBase(),
                AdminUser = Credential.UserName,
                AdminPassword = Credential.Password,
                AdminRealm = AdminRealm,
                AuthServer = AuthServer,
                Trust = trust,
                RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
            };
            return ConnectSecureAppliance.OpenAsync(options, stopping.Token).GetAwaiter().GetResult();
        }

        private IVpnAppliance ConnectOcserv()
        {
            // The same order as the SSH cmdlets: -UserName, then the credential's user, then the local account.
            string user = UserName ?? Credential?.UserName ?? Environment.UserName;
            if (HostKeyPolicy == HostKeyPolicyMode.Pinned && (HostKeyFingerprint == null || HostKeyFingerprint.Length == 0))
            {
                throw new ArgumentException("-HostKeyPolicy Pinned needs -HostKeyFingerprint SHA256:... (get it with Get-RoSshHostKey).");
            }

            SshTarget target = SshTarget.Parse(Address, Port, user);
            var credentials = new SshCredentials(target.UserName) { Password = Credential?.Password };
            foreach (string path in KeyFilePath ?? new string[0])
            {
                credentials.KeyFiles.Add(new SshKeyFile(LocalPaths.Resolve(this, path)));
            }

            KnownHostsStore store = KnownHostsLocation.Open(KnownHostsPath, this);
            HostKeyPolicy policy = HostKeyFingerprint != null && HostKeyFingerprint.Length > 0 ? Core.Ssh.HostKeyPolicy.Pin(HostKeyFingerprint)
                : Core.Ssh.HostKeyPolicy.ForStore(HostKeyPolicy);
            var options = new SshConnectOptions { ConnectTimeout = TimeSpan.FromSeconds(TimeoutSec), HostKeyVerifier = new HostKeyVerifier(store, policy) };
            SshSession session = SshSession.ConnectAsync(target, credentials, options, stopping.Token).GetAwaiter().GetResult();
            var shell = new SshRemoteShell(session, useSudo: !NoSudo && target.UserName != "root", TimeSpan.FromSeconds(TimeoutSec));
            try
            {
                return OcservAppliance.OpenAsync(shell, new OcservOptions { ConfigPath = ConfigPath }, stopping.Token).GetAwaiter().GetResult();
            }
            catch
            {
                shell.Dispose();
                throw;
            }
        }

        private static Exception Classified(SshFailureException ssh)
        {
            ApplianceErrorKind kind = ssh.Status == Core.Hosts.HostStatus.AuthenticationFailed ? ApplianceErrorKind.AuthenticationFailed
                : ssh.Status == Core.Hosts.HostStatus.HostKeyMismatch || ssh.Status == Core.Hosts.HostStatus.HostKeyUnknown ? ApplianceErrorKind.TrustFailure
                : ApplianceErrorKind.Unreachable;
            return new ApplianceException(kind, ssh.Message, ssh.Remedy, ssh);
        }
    }
}
