using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Vpn
{
    /// <summary>
    /// A VPN appliance that RemoteOps can sign a user in to the way the user's client does, to
    /// try the user's password for real (capability VpnSignIn; Test-RoRemoteAccess -Credential).
    /// A session the sign-in opens is signed out again at once.
    /// </summary>
    public interface IVpnSignIn
    {
        /// <summary>
        /// Signs <paramref name="userName"/> in with <paramref name="password"/> and says how the
        /// appliance answered. The password is sent to the appliance only; it is never part of
        /// the result or of an exception.
        /// </summary>
        Task<VpnSignInResult> SignInAsync(string userName, SecureString password, CancellationToken cancellationToken);
    }
}
