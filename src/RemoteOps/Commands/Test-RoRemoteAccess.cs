using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Diagnostics.Checks;
using RemoteOps.Core.Identity;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>
    /// Answers "why can't this person sign in to the VPN?" in one command: checks the VPN account,
    /// sessions, appliance, gateway and second factor (and, with -Credential, a real sign-in) at
    /// the same time and names the most likely cause with the next step.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "RoRemoteAccess", HelpUri = HelpLinks.CmdletReference + "Test-RoRemoteAccess.md")]
    [OutputType(typeof(RemoteAccessVerdict), typeof(RemoteAccessCheckResult))]
    public sealed class TestRoRemoteAccessCommand : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        // A laptop that does not answer is named in seconds; its evidence script may take longer.
        private static readonly TimeSpan LaptopConnectTimeout = TimeSpan.FromSeconds(5);
        private static readonly TimeSpan LaptopScriptTimeout = TimeSpan.FromSeconds(20);
        private IReadOnlyList<ApplianceConnection> connections;
        private TlsTrust gatewayPin;
        private LaptopInventory laptopInventory;
        private Core.Laptops.LaptopBaseline laptopBaseline;
        private SshConnectionSettings laptopSsh;

        /// <summary>The user to diagnose.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; }

        /// <summary>The user's own credential, to try a real sign-in; its user name must be -UserName.</summary>
        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>The connections to check; by default every open one of this session with VpnUsers or SecondFactorUsers.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public ApplianceConnection[] Connection { get; set; }

        /// <summary>More VPN gateways to check (https://host[:port]/), besides those the connections name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public Uri[] Gateway { get; set; }

        /// <summary>The gateways' public key pin (pin-sha256:...), for gateways whose connection does not pin one; also given to openconnect.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string GatewayPublicKeyPin { get; set; }

        /// <summary>A CSV or JSON file mapping users to laptops (UserName, ComputerName[, Port]), for the LaptopCompliance check.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string LaptopInventory { get; set; }

        /// <summary>The laptop baseline the user's laptop is checked against: a .json or .psd1 path, a hashtable or a LaptopBaseline.</summary>
        [Parameter]
        [ValidateNotNull]
        public object LaptopBaseline { get; set; }

        /// <summary>The account that logs in to the laptops over SSH (with password-less sudo, as for Test-RoLaptopCompliance).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string LaptopUserName { get; set; }

        /// <summary>Private key files for the SSH login to the laptops.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] LaptopKeyFilePath { get; set; }

        /// <summary>The known-hosts file the laptops' host keys are checked against (the module's default store when omitted).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string LaptopKnownHostsPath { get; set; }

        /// <summary>
        /// How long, in seconds, each check may take before it is stopped and reported as not
        /// finished; the verdict is then given without it.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 300)]
        public int CheckTimeoutSec { get; set; } = (int)RemoteAccessRequest.DefaultCheckTimeout.TotalSeconds;

        /// <summary>Also write every check with its full evidence after the verdict.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (GatewayPublicKeyPin != null)
            {
                try
                {
                    gatewayPin = TlsTrust.PinPublicKey(GatewayPublicKeyPin);
                }
                catch (ArgumentException error)
                {
                    ThrowTerminatingError(ArgumentErrors.Invalid("InvalidGatewayPublicKeyPin", error.Message, GatewayPublicKeyPin, error));
                }
            }

            foreach (Uri gateway in Gateway ?? new Uri[0])
            {
                if (!gateway.IsAbsoluteUri || gateway.Scheme != Uri.UriSchemeHttps)
                {
                    ThrowTerminatingError(ArgumentErrors.Invalid("InvalidGateway", $"'{gateway}' is not an https:// gateway address; give it as https://host[:port]/.", gateway));
                }
            }

            LoadLaptopSettings();
            IEnumerable<ApplianceConnection> candidates = Connection ?? ApplianceConnections.Of(this).All
                .Where(c => c.Has(ApplianceCapabilities.VpnUsers) || c.Has(ApplianceCapabilities.SecondFactorUsers));
            connections = candidates.ToList();
            foreach (ApplianceConnection connection in connections)
            {
                if (!connection.IsOpen)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new InvalidOperationException($"The connection to {connection} was closed by Disconnect-RoAppliance; connect again."),
                        "RemoteAccessConnectionClosed", ErrorCategory.ConnectionError, connection));
                }
            }

            if (connections.Count == 0 && (Gateway == null || Gateway.Length == 0))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException("No open appliance connection in this session offers VpnUsers or SecondFactorUsers: run Connect-RoAppliance first, or pass -Connection or -Gateway."),
                    "NoRemoteAccessConnection", ErrorCategory.ConnectionError, null));
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            RemoteAccessRequest request;
            try
            {
                if (Credential != null && !string.Equals(Credential.UserName, UserName, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"-Credential is for '{Credential.UserName}', not for '{UserName}': give the credential of the user being diagnosed.");
                }

                request = new RemoteAccessRequest(UserName, Credential?.Password) { CheckTimeout = TimeSpan.FromSeconds(CheckTimeoutSec) };
            }
            catch (ArgumentException error)
            {
                WriteError(ArgumentErrors.Invalid("InvalidUserName", error.Message, UserName, error));
                return;
            }

            IReadOnlyList<IRemoteAccessCheck> checks = ChecksFor(request);
            WriteVerbose($"Diagnosing {request.UserName}: {checks.Count} checks ({string.Join(", ", checks.Select(c => c.Name + " " + c.Target))}).");
            RemoteAccessVerdict verdict = RemoteAccessDiagnosis.RunAsync(request, checks, stopping.Token).GetAwaiter().GetResult();
            foreach (RemoteAccessCheckResult result in verdict.Checks)
            {
                WriteVerbose($"{result.Check} {result.Target}: {result.Status} in {result.Duration.TotalMilliseconds:0} ms.");
            }

            WriteObject(verdict);
            if (Detailed)
            {
                WriteObject(verdict.Checks, enumerateCollection: true);
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing() => stopping.Cancel();

        /// <inheritdoc />
        public void Dispose()
        {
            stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        private IReadOnlyList<IRemoteAccessCheck> ChecksFor(RemoteAccessRequest request)
        {
            var checks = new List<IRemoteAccessCheck>();
            var gateways = new List<Uri>();
            bool secondFactor = false;
            foreach (ApplianceConnection connection in connections)
            {
                if (connection.Has(ApplianceCapabilities.VpnUsers))
                {
                    AddVpnChecks(checks, gateways, connection, request);
                }

                if (connection.Has(ApplianceCapabilities.SecondFactorUsers))
                {
                    checks.Add(new SecondFactorCheck(connection.Require<ISecondFactorDirectory>(ApplianceCapabilities.SecondFactorUsers)));
                    secondFactor = true;
                }
            }

            if (!secondFactor)
            {
                checks.Add(new NotAvailableCheck("SecondFactor", "second-factor service",
                    "No open connection offers SecondFactorUsers, so the second factor was not checked; connect to the second-factor service with Connect-RoAppliance to include it."));
            }

            foreach (Uri gateway in Gateway ?? new Uri[0])
            {
                if (!gateways.Any(g => SameGateway(g, gateway)))
                {
                    checks.Add(new GatewayCheck(gateway, gatewayPin ?? TlsTrust.SystemValidation));
                }
            }

            checks.Add(laptopInventory == null
                ? new LaptopComplianceCheck()
                : new LaptopComplianceCheck(laptopInventory, laptopBaseline, BaselineName(), LaptopSource, LaptopScriptTimeout));
            return checks;
        }

        // The inventory and baseline are read and checked before anything is sent anywhere;
        // a bad row stops the command with the file, the line and the value.
        private void LoadLaptopSettings()
        {
            if ((LaptopInventory == null) != (LaptopBaseline == null))
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("LaptopInventoryWithoutBaseline",
                    "-LaptopInventory and -LaptopBaseline go together: give the inventory of users' laptops and the baseline to check them against.",
                    LaptopInventory ?? (object)LaptopBaseline));
            }

            if (LaptopInventory == null)
            {
                return;
            }

            string path = LocalPaths.Resolve(this, LaptopInventory);
            try
            {
                laptopInventory = Core.Diagnostics.LaptopInventory.Parse(File.ReadAllText(path), path);
            }
            catch (FormatException bad)
            {
                ThrowTerminatingError(new ErrorRecord(bad, "LaptopInventoryInvalid", ErrorCategory.InvalidData, LaptopInventory));
            }
            catch (Exception error) when (error is IOException || error is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"The laptop inventory '{path}' cannot be read: {error.Message}", error), "LaptopInventoryUnreadable", ErrorCategory.ReadError, LaptopInventory));
            }

            laptopBaseline = LaptopBaselineInput.Load(this, LaptopBaseline);
            laptopSsh = new SshConnectionSettings
            {
                UserName = LaptopUserName,
                HostKeyPolicy = HostKeyPolicyMode.Strict,
                KnownHosts = KnownHostsLocation.Open(LaptopKnownHostsPath, this),
                ConnectTimeout = LaptopConnectTimeout,
            };
            foreach (string key in ArgumentErrors.ResolveExistingKeyFiles(this, LaptopKeyFilePath))
            {
                laptopSsh.KeyFiles.Add(new SshKeyFile(key, null));
            }
        }

        // How the next step names the baseline: the path as it was given, else a placeholder.
        private string BaselineName() =>
            (LaptopBaseline is PSObject wrapped ? wrapped.BaseObject : LaptopBaseline) is string path ? $"'{path}'" : "<your laptop baseline>";

        private ISshSessionSource LaptopSource(LaptopInventoryEntry laptop)
        {
            SshEndpoint endpoint = laptopSsh.Build(new SshTarget(laptop.ComputerName, laptop.Port, laptopSsh.DefaultUserName));
            return new FreshSshSessionSource(endpoint.Target, endpoint.Credentials, endpoint.Options);
        }

        private void AddVpnChecks(List<IRemoteAccessCheck> checks, List<Uri> gateways, ApplianceConnection connection, RemoteAccessRequest request)
        {
            IVpnAppliance vpn = connection.Require<IVpnAppliance>(ApplianceCapabilities.VpnUsers);
            var lookup = new VpnUserLookup(vpn);
            checks.Add(new VpnAccountCheck(lookup));
            if (vpn is IVpnAccessMapping mapping)
            {
                checks.Add(new VpnAccessCheck(lookup, mapping));
            }
            else
            {
                // Listed, so that nobody reads its absence as "checked".
                checks.Add(new NotAvailableCheck("VpnAccess", ApplianceTarget.Of(vpn),
                    $"{connection.Driver} has no realm, role mapping or authentication rules that RemoteOps reads: whether the account may connect is what the account check says."));
            }

            if (connection.Has(ApplianceCapabilities.VpnSessions))
            {
                checks.Add(new VpnSessionLimitCheck(vpn));
            }

            if (connection.Has(ApplianceCapabilities.VpnCapacity))
            {
                checks.Add(new ApplianceCapacityCheck(vpn));
            }

            if (connection.Has(ApplianceCapabilities.VpnCluster))
            {
                checks.Add(new ApplianceClusterCheck(vpn));
            }

            var gateway = vpn as IVpnGateway;
            if (gateway != null)
            {
                gateways.Add(gateway.GatewayAddress);
                TlsTrust trust = gateway.GatewayTrust != null && gateway.GatewayTrust.IsPinned ? gateway.GatewayTrust : gatewayPin ?? TlsTrust.SystemValidation;
                checks.Add(new GatewayCheck(gateway.GatewayAddress, trust));
            }

            if (request.Password == null)
            {
                return;
            }

            if (connection.Has(ApplianceCapabilities.VpnSignIn))
            {
                checks.Add(new VpnSignInCheck(connection.Require<IVpnSignIn>(ApplianceCapabilities.VpnSignIn), ApplianceTarget.Of(vpn)));
            }
            else if (gateway == null)
            {
                checks.Add(new NotAvailableCheck("SignIn", ApplianceTarget.Of(vpn),
                    $"A real sign-in to {connection.Driver} is not available in this version of RemoteOps; the other checks ran."));
            }
            else if (gateway.OpenconnectProtocol != null)
            {
                string pin = GatewayPublicKeyPin == null ? null : "pin-sha256:" + GatewayPublicKeyPin.Trim().Replace("pin-sha256:", string.Empty);
                checks.Add(new OpenconnectSignInCheck(gateway.GatewayAddress, gateway.OpenconnectProtocol, pin));
            }
            else
            {
                checks.Add(new NotAvailableCheck("SignIn", $"{gateway.GatewayAddress.Host}:{gateway.GatewayAddress.Port}",
                    $"A real sign-in to {connection.Driver} is not available in this version of RemoteOps; the other checks ran."));
            }
        }

        private static bool SameGateway(Uri a, Uri b) =>
            string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
    }
}
