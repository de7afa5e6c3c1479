using RemoteOps.Core.Appliances;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Vpn.ConnectSecure
{
    /// <summary>How to reach and log in to an Ivanti Connect Secure appliance: the REST basics plus its settings.</summary>
    public sealed class ConnectSecureOptions : RestConnectionOptions
    {
        /// <summary>The admin sign-in realm for POST /api/v1/realm_auth.</summary>
        [DriverSetting("The admin sign-in realm the REST login uses.")]
        public string AdminRealm { get; set; } = "Admin Users";

        /// <summary>The local authentication server that holds VPN users.</summary>
        [DriverSetting("The local authentication server that holds the VPN users.")]
        public string AuthServer { get; set; } = "System Local";

        /// <summary>The user sign-in URL (path) whose page Test-RoRemoteAccess -Credential signs users in on.</summary>
        [DriverSetting("The users' sign-in URL path (the sign-in policy's URL), for Test-RoRemoteAccess -Credential.")]
        public string SignInUrl { get; set; } = "/dana-na/auth/url_default/";

        /// <summary>The user realm chosen on the sign-in page, when it offers several.</summary>
        [DriverSetting("The user realm chosen on the sign-in page when it offers several, for Test-RoRemoteAccess -Credential.")]
        public string SignInRealm { get; set; } = "Users";
    }
}
