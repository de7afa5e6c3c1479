using System;

namespace RemoteOps.Core.Laptops
{
    /// <summary>
    /// Where a NetworkManager openconnect profile keeps the server certificate it accepts for a
    /// gateway. The plugin has no VPN data key for it (its data keys are listed in
    /// NetworkManager-openconnect's shared/nm-service-defines.h, and src/nm-openconnect-service.c
    /// ignores any other). Its auth dialog (auth-dialog/main.c, validate_peer_cert) looks up the
    /// accepted hash among the connection's VPN secrets under "certificate:HOST:PORT" and
    /// connects without asking when the gateway presents that certificate; openconnect takes the
    /// hash in its "pin-sha256:" form. HOST:PORT are the gateway's as openconnect parses it (port
    /// 443 when none is given). It is the only key of [vpn-secrets] RemoteOps writes or reads.
    /// </summary>
    public static class OpenconnectServerCertificate
    {
        /// <summary>The keyfile section the key lives in.</summary>
        public const string Section = "vpn-secrets";

        /// <summary>The key that holds the accepted certificate of <paramref name="gateway"/> ("host" or "host:port").</summary>
        public static string Key(string gateway)
        {
            if (string.IsNullOrEmpty(gateway))
            {
                throw new ArgumentException("A gateway is needed.", nameof(gateway));
            }

            return gateway.IndexOf(':') >= 0 ? "certificate:" + gateway : "certificate:" + gateway + ":443";
        }
    }
}
