using System;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Diagnostics.Checks
{
    /// <summary>
    /// The VPN gateway as a user's client meets it, from where the command runs: the name
    /// resolves, the TLS port accepts a connection, and the certificate is trusted, valid and not
    /// about to expire. Nothing is sent after the TLS handshake.
    /// </summary>
    public sealed class GatewayCheck : IRemoteAccessCheck
    {
        private readonly Uri gateway;
        private readonly TlsTrust trust;

        /// <summary>Checks <paramref name="gateway"/> (https://), trusting its certificate as <paramref name="trust"/> says.</summary>
        public GatewayCheck(Uri gateway, TlsTrust trust)
        {
            if (gateway == null || !gateway.IsAbsoluteUri || gateway.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"'{gateway}' is not an https:// gateway address; give it as https://host[:port]/.");
            }

            this.gateway = gateway;
            this.trust = trust ?? TlsTrust.SystemValidation;
            Target = $"{gateway.Host}:{gateway.Port}";
        }

        /// <inheritdoc />
        public string Name => "Gateway";

        /// <inheritdoc />
        public string Target { get; }

        /// <inheritdoc />
        public async Task<RemoteAccessCheckResult> RunAsync(RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            string host = gateway.Host;
            IPAddress[] addresses;
            string resolved;
            if (IPAddress.TryParse(host, out IPAddress literal))
            {
                addresses = new[] { literal };
                resolved = $"{host} is an address";
            }
            else
            {
                try
                {
                    addresses = await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
                }
                catch (SocketException error)
                {
                    addresses = new IPAddress[0];
                    resolved = error.Message;
                }

                if (addresses.Length == 0)
                {
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.GatewayNameNotResolved,
                        $"{host} does not resolve from here.",
                        $"Check the DNS record of {host} (Resolve-DnsName {host}) and the VPN profile's gateway name.");
                }

                resolved = $"{host} resolves to {string.Join(", ", (object[])addresses)}";
            }

            using (var client = new TcpClient(addresses[0].AddressFamily))
            {
                string refused = await ConnectAsync(client, addresses[0], gateway.Port, request.RequestTimeout, cancellationToken).ConfigureAwait(false);
                if (refused != null)
                {
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.GatewayUnreachable,
                        $"{resolved}; TCP {addresses[0]}:{gateway.Port}: {refused}.",
                        $"Check that the VPN service listens on {Target} and that firewalls let TCP {gateway.Port} through.");
                }

                return await CheckCertificateAsync(client, resolved, request, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<RemoteAccessCheckResult> CheckCertificateAsync(TcpClient client, string resolved, RemoteAccessRequest request, CancellationToken cancellationToken)
        {
            X509Certificate2 presented = null;
            string described = null;
            bool accepted = false;
            using (var tls = new SslStream(client.GetStream(), false, (sender, certificate, chain, errors) =>
            {
                presented = certificate == null ? null : new X509Certificate2(certificate);
                accepted = trust.Accepts(presented, errors, out described);
                return accepted;
            }))
            {
                try
                {
                    using (cancellationToken.Register(() => client.Close()))
                    {
                        await tls.AuthenticateAsClientAsync(gateway.Host).ConfigureAwait(false);
                    }
                }
                catch (Exception error) when (error is AuthenticationException || error is System.IO.IOException || error is ObjectDisposedException)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (presented == null)
                    {
                        return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.GatewayUnreachable,
                            $"{resolved}; TCP connected but the TLS handshake failed: {error.Message}",
                            $"Check that {Target} is the VPN gateway's TLS port and that the VPN service is healthy.");
                    }
                }
            }

            using (presented)
            {
                DateTimeOffset now = request.Now();
                var notAfter = new DateTimeOffset(presented.NotAfter.ToUniversalTime());
                var notBefore = new DateTimeOffset(presented.NotBefore.ToUniversalTime());
                string dates = $"valid {notBefore.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} to {notAfter.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
                string evidence = $"{resolved}; TCP {gateway.Port} open; {described}, {dates}; trusted by {trust}: {(accepted ? "yes" : "no")}";
                if (!accepted || notAfter <= now || notBefore > now)
                {
                    string why = notAfter <= now ? "it has expired" : notBefore > now ? "it is not valid yet" : "it is not trusted here or not issued for this name";
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Failed, RemoteAccessCause.CertificateInvalid, $"{evidence}; {why}.",
                        $"Have the appliance team install a valid certificate for {gateway.Host} on {Target} ({why}).");
                }

                TimeSpan left = notAfter - now;
                if (left < request.CertificateWarning)
                {
                    return RemoteAccessCheckResult.Found(Name, Target, RemoteAccessCheckStatus.Warning, RemoteAccessCause.CertificateExpiring,
                        $"{evidence}; it expires in {left.TotalDays.ToString("0.0", CultureInfo.InvariantCulture)} days.",
                        $"Have the appliance team renew the certificate of {Target} before {notAfter.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; after that no client will connect.");
                }

                return RemoteAccessCheckResult.Passed(Name, Target, $"{evidence}; {Math.Floor(left.TotalDays).ToString(CultureInfo.InvariantCulture)} days left.");
            }
        }

        private static async Task<string> ConnectAsync(TcpClient client, IPAddress address, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Task connect = client.ConnectAsync(address, port);
            Task finished = await Task.WhenAny(connect, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (finished != connect)
            {
                client.Close();
                return $"no answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
            }

            try
            {
                await connect.ConfigureAwait(false);
                return null;
            }
            catch (SocketException error)
            {
                return error.Message;
            }
        }
    }
}
