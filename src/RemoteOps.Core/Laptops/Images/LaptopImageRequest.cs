using System;
using System.Security;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>Everything an unattended laptop install is made from: the baseline and the laptop's own settings.</summary>
    public sealed class LaptopImageRequest
    {
        /// <summary>The baseline the installed laptop must meet.</summary>
        public LaptopBaseline Baseline { get; set; }

        /// <summary>The laptop's host name (one DNS label).</summary>
        public string HostName { get; set; }

        /// <summary>The first user, who gets sudo.</summary>
        public string UserName { get; set; }

        /// <summary>The first user's password; only its SHA-512 crypt hash is written.</summary>
        public SecureString UserPassword { get; set; }

        /// <summary>The management public key, one authorized_keys line.</summary>
        public string ManagementSshKey { get; set; }

        /// <summary>The https address the laptop posts itself to at first boot.</summary>
        public Uri EnrollmentUri { get; set; }

        /// <summary>The bearer token the enrolment call carries.</summary>
        public SecureString EnrollmentToken { get; set; }

        /// <summary>
        /// The LUKS passphrase for the autoinstall file, or null to have the Ubuntu installer ask
        /// for it. The preseed never holds it: the Debian installer always asks.
        /// </summary>
        public SecureString DiskPassphrase { get; set; }
    }
}
