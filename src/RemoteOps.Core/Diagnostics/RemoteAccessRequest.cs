using System;
using System.Security;
using RemoteOps.Core.Vpn;

namespace RemoteOps.Core.Diagnostics
{
    /// <summary>Whom a diagnosis is about, and what it may try.</summary>
    public sealed class RemoteAccessRequest
    {
        /// <summary>The default warning window for certificates: a gateway certificate that expires within it is reported.</summary>
        public static readonly TimeSpan DefaultCertificateWarning = TimeSpan.FromDays(14);

        /// <summary>Checks the user name before anything is sent anywhere.</summary>
        public RemoteAccessRequest(string userName, SecureString password = null)
        {
            UserName = VpnUserName.Validate(userName);
            Password = password;
        }

        /// <summary>The user being diagnosed (validated).</summary>
        public string UserName { get; }

        /// <summary>The user's password for a real sign-in attempt, or null to make none.</summary>
        public SecureString Password { get; }

        /// <summary>
        /// How long one request of a check may take, connecting included. A diagnosis makes no
        /// retries: an appliance that does not answer within this time is reported as down
        /// instead of being waited for.
        /// </summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>The default for <see cref="CheckTimeout"/>.</summary>
        public static readonly TimeSpan DefaultCheckTimeout = TimeSpan.FromSeconds(30);

        /// <summary>
        /// How long one check may take in all (a laptop that connects but answers slowly, a
        /// sign-in that hangs). A check still running then is reported as not finished and the
        /// verdict is given without it: the caller on the phone is waiting for an answer.
        /// </summary>
        public TimeSpan CheckTimeout { get; set; } = DefaultCheckTimeout;

        /// <summary>A certificate expiring within this window is a warning.</summary>
        public TimeSpan CertificateWarning { get; set; } = DefaultCertificateWarning;

        /// <summary>The clock the checks compare against (settable for tests).</summary>
        public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;
    }
}
