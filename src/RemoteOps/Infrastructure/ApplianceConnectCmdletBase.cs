using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Drivers;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// The connection parameters every device takes, by transport: for REST the address,
    /// credential, certificate pin and proxy; for SSH the same options as Invoke-RoSshCommand.
    /// Connect-RoAppliance and Connect-RoVpnAppliance differ only in how they name the driver
    /// and its settings.
    /// </summary>
    public abstract class ApplianceConnectCmdletBase : PSCmdlet, IDisposable
    {
        private static readonly string[] SshOnly = { "Port", "UserName", "KeyFilePath", "KeyPassphrase", "KeyboardInteractive", "HostKeyPolicy", "HostKeyFingerprint", "KnownHostsPath", "JumpHost", "JumpCredential", "ConnectTimeoutSec" };
        private static readonly string[] RestOnly = { "CertificateThumbprint", "PublicKeyPin", "Proxy" };
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();

        /// <summary>The device: host, host:port or user@host (SSH), or https://host[:port] (REST).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("ComputerName")]
        [ValidateNotNullOrEmpty]
        public string Address { get; set; }

        /// <summary>REST: the admin account and password, or the API token as password. SSH: the account and its password.</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>REST: trust the certificate by its SHA-256 (or SHA-1) thumbprint instead of the system's CA store.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CertificateThumbprint { get; set; }

        /// <summary>REST: trust the public key by its SHA-256 SPKI pin (base64, optionally pin-sha256:).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string PublicKeyPin { get; set; }

        /// <summary>REST: an HTTP proxy to reach the device through.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri Proxy { get; set; }

        /// <summary>SSH: the port (default 22).</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = SshTarget.DefaultPort;

        /// <summary>SSH: the account when neither the address nor -Credential names one.</summary>
        [Parameter]
        [Alias("User")]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; }

        /// <summary>SSH: private key files to offer, in order.</summary>
        [Parameter]
        [Alias("IdentityFile")]
        [ValidateNotNullOrEmpty]
        public string[] KeyFilePath { get; set; }

        /// <summary>SSH: the passphrase of the key files.</summary>
        [Parameter]
        public SecureString KeyPassphrase { get; set; }

        /// <summary>SSH: also offer keyboard-interactive authentication, answered with the -Credential password.</summary>
        [Parameter]
        public SwitchParameter KeyboardInteractive { get; set; }

        /// <summary>SSH: how the host key is checked (Strict by default).</summary>
        [Parameter]
        public HostKeyPolicyMode HostKeyPolicy { get; set; } = HostKeyPolicyMode.Strict;

        /// <summary>SSH: SHA-256 fingerprints the host key must match.</summary>
        [Parameter]
        [Alias("Fingerprint")]
        public string[] HostKeyFingerprint { get; set; }

        /// <summary>SSH: the known-hosts file; by default the RemoteOps store and ~/.ssh/known_hosts.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string KnownHostsPath { get; set; }

        /// <summary>SSH: a bastion to connect through, as [user@]host[:port].</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string JumpHost { get; set; }

        /// <summary>SSH: credentials for the bastion; by default the same as for the device.</summary>
        [Parameter]
        [Credential]
        public PSCredential JumpCredential { get; set; }

        /// <summary>SSH: seconds allowed for connecting, key exchange and authentication.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int ConnectTimeoutSec { get; set; } = 10;

        /// <summary>Seconds allowed for each request (REST) or command (SSH); for REST also for connecting.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 30;

        /// <summary>Do not add the connection to the session's list, so cmdlets without -Connection never pick it (it still closes with the runspace).</summary>
        [Parameter]
        public SwitchParameter NotDefault { get; set; }

        /// <summary>The registered driver name.</summary>
        protected abstract string DriverName { get; }

        /// <summary>The driver's settings as the user gave them.</summary>
        protected abstract IDictionary DriverSettings { get; }

        /// <summary>The error-id family ("Vpn" gives VpnTrustFailure, ...).</summary>
        protected abstract string ErrorFamily { get; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            ApplianceDriver driver = Refuse("InvalidDriver", DriverName, () => BuiltInDrivers.Registry.Get(DriverName));
            Refuse("InvalidDriverSetting", DriverSettings, () => driver.BindSettings(DriverSettings));
            RefuseParametersOfOtherTransport(driver);
            ApplianceConnectRequest request = driver.Transport == ApplianceTransport.Rest ? RestRequest(driver) : SshRequest();

            ApplianceConnection connection = null;
            try
            {
                connection = driver.ConnectAsync(request, DriverSettings, stopping.Token).GetAwaiter().GetResult();
            }
            catch (Exception error) when (!(error is PipelineStoppedException) && !(error is OperationCanceledException))
            {
                ThrowTerminatingError(ErrorRecords.For(error, Address, ErrorFamily));
            }

            if (NotDefault)
            {
                ApplianceConnections.Of(this).AddNotDefault(connection);
            }
            else
            {
                ApplianceConnections.Of(this).Add(connection);
            }

            WriteObject(connection);
        }

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        /// <inheritdoc />
        public void Dispose()
        {
            stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        private ApplianceConnectRequest RestRequest(ApplianceDriver driver)
        {
            TlsTrust trust = Refuse("InvalidCertificatePin", CertificateThumbprint ?? PublicKeyPin, () =>
            {
                if (CertificateThumbprint != null && PublicKeyPin != null)
                {
                    throw new ArgumentException("Give -CertificateThumbprint or -PublicKeyPin, not both.");
                }

                return CertificateThumbprint != null ? TlsTrust.PinCertificate(CertificateThumbprint)
                    : PublicKeyPin != null ? TlsTrust.PinPublicKey(PublicKeyPin)
                    : TlsTrust.SystemValidation;
            });
            Refuse("InvalidArgument", Address, () => BuiltInDrivers.HttpsBase(Address));
            if (Credential == null && !driver.CredentialOptional)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid(
                    "InvalidArgument",
                    $"{DriverName} needs -Credential: the REST admin account and password, or the REST API token as the password (FortiGate).",
                    Address));
            }

            return new ApplianceConnectRequest
            {
                Address = Address,
                UserName = Credential?.UserName,
                Password = Credential?.Password,
                Trust = trust,
                Proxy = Proxy,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
            };
        }

        private ApplianceConnectRequest SshRequest()
        {
            if (HostKeyFingerprint != null)
            {
                ArgumentErrors.ThrowOnInvalidFingerprint(this, HostKeyFingerprint);
            }

            // The same checks and error ids as Invoke-RoSshCommand and New-RoSshSession.
            ArgumentErrors.ThrowOnInvalidJumpHost(this, JumpHost);
            var settings = new SshConnectionSettings
            {
                UserName = UserName,
                CredentialUserName = Credential?.UserName,
                Password = Credential?.Password,
                KeyboardInteractive = KeyboardInteractive.IsPresent,
                HostKeyPolicy = HostKeyPolicy,
                HostKeyFingerprints = HostKeyFingerprint,
                KnownHosts = KnownHostsLocation.Open(KnownHostsPath, this),
                ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSec),
                JumpHost = JumpHost,
                JumpUserName = JumpCredential?.UserName,
                JumpPassword = JumpCredential?.Password,
            };
            foreach (string path in ArgumentErrors.ResolveExistingKeyFiles(this, KeyFilePath))
            {
                settings.KeyFiles.Add(new SshKeyFile(path, KeyPassphrase));
            }

            SshEndpoint endpoint = Refuse(settings.LacksRequiredPin ? "PinnedPolicyWithoutFingerprint" : "InvalidArgument", Address, () => settings.Build(Address, Port));
            return new ApplianceConnectRequest { Address = Address, Ssh = endpoint, Timeout = TimeSpan.FromSeconds(TimeoutSec) };
        }

        // A parameter of the other transport is a mistake (a key file for a REST API, a pin for SSH): say so instead of ignoring it.
        private void RefuseParametersOfOtherTransport(ApplianceDriver driver)
        {
            IEnumerable<string> foreign = driver.Transport == ApplianceTransport.Rest ? SshOnly : RestOnly;
            string given = foreign.FirstOrDefault(name => MyInvocation.BoundParameters.ContainsKey(name));
            if (given != null)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid(
                    "ParameterNotForTransport",
                    $"-{given} does not apply to the {driver.Name} driver, which is managed over {driver.Transport}; remove it.",
                    given));
            }
        }

        private T Refuse<T>(string errorId, object target, Func<T> check)
        {
            try
            {
                return check();
            }
            catch (ArgumentException error)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid(errorId, error.Message, target, error));
                return default(T);
            }
        }
    }
}
