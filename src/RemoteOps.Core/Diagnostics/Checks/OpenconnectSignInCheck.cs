using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// A real sign-in with the user's password, made by the openconnect client in authenticate
    /// mode (<c>openconnect --authenticate</c>): it signs in and stops before a tunnel is built.
    /// The password goes to openconnect's standard input, never its command line; the session
    /// cookie it prints is never read.
    /// </summary>
    public sealed class OpenconnectSignInCheck : IRemoteAccessCheck
    {
        private static readonly Regex SafeProtocol = new Regex("^[a-z0-9-]{1,20}$", RegexOptions.CultureInvariant);
        private static readonly Regex SafePin = new Regex(@"^pin-sha256:[A-Za-z0-9+/]{43}=$", RegexOptions.CultureInvariant);
        private readonly Uri gateway;
        private readonly string protocol;
        private readonly string serverCertificatePin;

        /// <summary>Signs in to <paramref name="gateway"/> over <paramref name="protocol"/>, accepting only a certificate with <paramref name="serverCertificatePin"/> when one is given (else the system's trust).</summary>
        public OpenconnectSignInCheck(Uri gateway, string protocol, string serverCertificatePin)
        {
            if (gateway == null || !gateway.IsAbsoluteUri || gateway.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"'{gateway}' is not an https:// gateway address.");
            }

            if (protocol == null || !SafeProtocol.IsMatch(protocol))
            {
                throw new ArgumentException($"'{protocol}' is not an openconnect protocol name (anyconnect, nc, pulse, ...).");
            }

            if (serverCertificatePin != null && !SafePin.IsMatch(serverCertificatePin))
            {
                throw new ArgumentException($"'{serverCertificatePin}' is not a pin-sha256: public key pin.");
            }

            this.gateway = gateway;
            this.protocol = protocol;
            this.serverCertificatePin = serverCertificatePin;
            Target = $"{gateway.Host}:{gateway.Port}";
        }

        /// <summary>The program run; "openconnect" from PATH unless a test names another.</summary>
        public string Program { get; set; } = "openconnect";

        /// <summary>How long a sign-in may take.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

        /// <inheritdoc />
        public string Name => "SignIn";

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            if (request.Password == null)
            {
                return RemoteAccessCheckResult.NotAvailable(Name, Target, "No sign-in was tried: pass -Credential with the user's password to try one.");
            }

            // Every value is validated (user name, URI, protocol, pin), so none needs quoting.
            string arguments = string.Join(" ",
                "--authenticate", "--non-inter", "--passwd-on-stdin", "--protocol=" + protocol, "--user=" + request.UserName,
                serverCertificatePin == null ? string.Empty : "--servercert=" + serverCertificatePin,
                gateway.GetLeftPart(UriPartial.Authority) + "/").Replace("  ", " ");
            var start = new ProcessStartInfo(Program, arguments)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };

            Process process;
            try
            {
                process = Process.Start(start);
            }
            catch (Win32Exception error)
            {
                return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None,
                    $"openconnect could not be started here: {error.Message}.",
                    "Install the openconnect client where the command runs (Debian/Ubuntu: apt-get install openconnect), or run without -Credential.");
            }

            using (process)
            {
                // Standard output holds the session cookie: drained so that openconnect never blocks, and dropped unread.
                Task<string> discarded = process.StandardOutput.ReadToEndAsync();
                Task<string> errors = process.StandardError.ReadToEndAsync();
                await process.StandardInput.WriteLineAsync(SecretText.Reveal(request.Password)).ConfigureAwait(false);
                process.StandardInput.Close();

                bool exited = await WaitAsync(process, Timeout, cancellationToken).ConfigureAwait(false);
                if (!exited)
                {
                    try
                    {
                        process.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None,
                        $"openconnect did not finish signing in within {Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.",
                        $"Check the other results for {Target}; try the sign-in again later.");
                }

                await discarded.ConfigureAwait(false);
                string messages = await errors.ConfigureAwait(false);
                int exitCode = process.ExitCode;
                RemoteAccessCause cause = OpenconnectOutcome.Classify(exitCode, messages);
                string evidence = $"openconnect --authenticate --protocol={protocol} as {request.UserName}: exit {exitCode}; {OpenconnectOutcome.Evidence(messages)}".TrimEnd(' ', ';');
                switch (cause)
                {
                    case RemoteAccessCause.None:
                        return RemoteAccessCheckResult.Passed(Name, Target, $"{evidence}; signed in (session cookie received and discarded, no tunnel built).");
                    case RemoteAccessCause.WrongPassword:
                        return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, cause, evidence,
                            $"Confirm the caller's identity, then reset the password with Set-RoVpnUser -UserName {request.UserName} -ChangePasswordAtSignIn, giving a new one-time password as a SecureString (with -Connection for the appliance).");
                    case RemoteAccessCause.PasswordExpired:
                        return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, cause, evidence,
                            $"The server asks {request.UserName} for a new password before it lets the user in: set one with Set-RoVpnUser -UserName {request.UserName}, giving it as a SecureString (Read-Host -AsSecureString) (with -Connection for the appliance).");
                    case RemoteAccessCause.CheckNotMade:
                        return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.CouldNotRun, RemoteAccessCause.None, evidence,
                            "Read openconnect's message above; run the other checks' cmdlets for details.");
                    default:
                        return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, cause, evidence,
                            $"The sign-in failed before the password was checked; see the Gateway check of {Target}.");
                }
            }
        }

        private static async Task<bool> WaitAsync(Process process, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.EnableRaisingEvents = true;
            process.Exited += (sender, e) => exited.TrySetResult(true);
            if (process.HasExited)
            {
                exited.TrySetResult(true);
            }

            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timer.CancelAfter(timeout);
                using (timer.Token.Register(() => exited.TrySetResult(false)))
                {
                    bool done = await exited.Task.ConfigureAwait(false);
                    if (done)
                    {
                        process.WaitForExit();
                    }

                    return done;
                }
            }
        }
    }
}
