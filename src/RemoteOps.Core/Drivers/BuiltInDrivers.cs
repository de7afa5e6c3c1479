using System;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Bandwidth.LinuxTc;
using RemoteOps.Core.Firewall.Nftables;
using RemoteOps.Core.Firewall.Smc;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Core.Rest;
using RemoteOps.Core.Vpn.ConnectSecure;
using RemoteOps.Core.Vpn.FortiGate;
using RemoteOps.Core.Vpn.Ocserv;

namespace RemoteOps.Core.Drivers
{
    /// <summary>The drivers that ship with RemoteOps, registered once per process.</summary>
    public static class BuiltInDrivers
    {
        private static readonly Lazy<ApplianceDriverRegistry> Shared = new Lazy<ApplianceDriverRegistry>(Create);

        /// <summary>The registry holding every built-in driver.</summary>
        public static ApplianceDriverRegistry Registry => Shared.Value;

        /// <summary>A new registry with the built-in drivers (tests add their own to a fresh one).</summary>
        public static ApplianceDriverRegistry Create()
        {
            var registry = new ApplianceDriverRegistry();
            registry.Register(new ApplianceDriver(
                OcservAppliance.DriverName,
                "OpenConnect VPN server (ocserv) over SSH: ocpasswd users, occtl sessions, ocserv.conf.",
                ApplianceTransport.Ssh,
                OcservAppliance.DriverCapabilities,
                typeof(OcservOptions),
                async (request, options, token) =>
                {
                    var settings = (OcservOptions)options;
                    return await SshApplianceConnector.OpenDriverAsync(request.Ssh, settings.UseSudo, request.Timeout, settings.MaxChannels,
                        shell => OcservAppliance.OpenAsync(shell, settings, token), token).ConfigureAwait(false);
                }));
            registry.Register(new ApplianceDriver(
                ConnectSecureAppliance.DriverName,
                "Ivanti Connect Secure over its REST API (/api/v1): local users, active sessions, cluster, configuration.",
                ApplianceTransport.Rest,
                ConnectSecureAppliance.DriverCapabilities,
                typeof(ConnectSecureOptions),
                async (request, options, token) => await ConnectSecureAppliance.OpenAsync(Fill((ConnectSecureOptions)options, request), token).ConfigureAwait(false)));
            registry.Register(new ApplianceDriver(
                FortiGateAppliance.DriverName,
                "FortiGate over the FortiOS REST API (/api/v2) with an API token: SSL-VPN users, groups and sessions; IPv4 firewall policies, addresses and services.",
                ApplianceTransport.Rest,
                FortiGateAppliance.DriverCapabilities,
                typeof(FortiGateOptions),
                async (request, options, token) => await FortiGateAppliance.OpenAsync(Fill((FortiGateOptions)options, request), token).ConfigureAwait(false)));
            registry.Register(new ApplianceDriver(
                NftablesFirewall.DriverName,
                "Linux nftables over SSH: one table RemoteOps owns (default inet remoteops), replaced atomically with nft -f.",
                ApplianceTransport.Ssh,
                NftablesFirewall.DriverCapabilities,
                typeof(NftablesOptions),
                async (request, options, token) =>
                {
                    var settings = (NftablesOptions)options;
                    return await SshApplianceConnector.OpenDriverAsync(request.Ssh, settings.UseSudo, request.Timeout, Ssh.SshChannelGate.DefaultMaxChannels,
                        shell => NftablesFirewall.OpenAsync(shell, settings, token,
                            another => SshApplianceConnector.OpenShellAsync(request.Ssh, settings.UseSudo, request.Timeout, 1, another)), token).ConfigureAwait(false);
                }));
            registry.Register(new ApplianceDriver(
                SecurIdAppliance.DriverName,
                "RSA SecurID: the Cloud Administration REST API (admin API key or OAuth client) and the Authentication API (code tests; also on Authentication Manager 8.x).",
                ApplianceTransport.Rest,
                SecurIdAppliance.DriverCapabilities,
                typeof(SecurIdOptions),
                async (request, options, token) =>
                {
                    var settings = Fill((SecurIdOptions)options, request);
                    settings.AddressAsTyped = request.Address;
                    return await SecurIdAppliance.OpenAsync(settings, token).ConfigureAwait(false);
                })
            {
                // The administration API signs in with a key file; -Credential carries only the Authentication API's client key.
                CredentialOptional = true,
            });
            registry.Register(new ApplianceDriver(
                SmcFirewall.DriverName,
                "Forcepoint NGFW through the SMC REST API (pinned API version, API-client key): the access rules of one policy named with a prefix, uploaded to one engine.",
                ApplianceTransport.Rest,
                SmcFirewall.DriverCapabilities,
                typeof(SmcOptions),
                async (request, options, token) => await SmcFirewall.OpenAsync(Fill((SmcOptions)options, request), token).ConfigureAwait(false)));
            registry.Register(new ApplianceDriver(
                LinuxTcShaper.DriverName,
                "Linux traffic shaping over SSH: an HTB tree (tc) on the given interfaces, classified by one nftables table RemoteOps owns (default inet remoteops_shaping).",
                ApplianceTransport.Ssh,
                LinuxTcShaper.DriverCapabilities,
                typeof(LinuxTcOptions),
                async (request, options, token) =>
                {
                    var settings = (LinuxTcOptions)options;
                    LinuxTcShaper.CheckOptions(settings);
                    return await SshApplianceConnector.OpenDriverAsync(request.Ssh, settings.UseSudo, request.Timeout, Ssh.SshChannelGate.DefaultMaxChannels,
                        shell => LinuxTcShaper.OpenAsync(shell, settings, token), token).ConfigureAwait(false);
                }));
            return registry;
        }

        /// <summary>Copies the common REST parameters into a driver's options.</summary>
        internal static TOptions Fill<TOptions>(TOptions options, ApplianceConnectRequest request)
            where TOptions : RestConnectionOptions
        {
            options.BaseAddress = HttpsBase(request.Address);
            options.UserName = request.UserName;
            options.Password = request.Password;
            options.Trust = request.Trust ?? TlsTrust.SystemValidation;
            options.Proxy = request.Proxy;
            options.RequestTimeout = request.Timeout;
            options.MaxConnections = request.MaxConnections;
            options.Handler = request.Handler;
            return options;
        }

        /// <summary>https://host[:port] from what the user typed (a bare host name means https).</summary>
        internal static Uri HttpsBase(string address)
        {
            string text = address ?? string.Empty;
            if (!Uri.TryCreate(text.Contains("://") ? text : "https://" + text, UriKind.Absolute, out Uri uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
            {
                throw new ArgumentException($"'{address}' is not an https:// address or host name; REST appliances are managed over HTTPS.");
            }

            return new Uri(uri.GetLeftPart(UriPartial.Authority));
        }
    }
}
