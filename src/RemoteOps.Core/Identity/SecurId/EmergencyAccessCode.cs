using System;
using System.Security;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>
    /// A new emergency access code. The code itself is held only as a SecureString and shown
    /// once: <see cref="RevealOnce"/> returns it and disposes it, so a later display, log or
    /// transcript of the object cannot hold it.
    /// </summary>
    public sealed class EmergencyAccessCode
    {
        private readonly object gate = new object();
        private SecureString code;

        internal EmergencyAccessCode(SecureString code)
        {
            this.code = code;
        }

        /// <summary>The user's e-mail address.</summary>
        public string UserName { get; set; }

        /// <summary>The SecurID service.</summary>
        public string Appliance { get; set; }

        /// <summary>The service's id of the code (emergencyTokencodeId), to find it in the console.</summary>
        public string CodeId { get; set; }

        /// <summary>The code, read-only, until <see cref="RevealOnce"/> has been called; then null.</summary>
        public SecureString Code
        {
            get
            {
                lock (gate)
                {
                    return code;
                }
            }
        }

        /// <summary>True once the code has been shown and dropped.</summary>
        public bool Revealed
        {
            get
            {
                lock (gate)
                {
                    return code == null;
                }
            }
        }

        /// <summary>When the code stops working online.</summary>
        public DateTimeOffset? ExpiresOn { get; set; }

        /// <summary>When the code stops working for offline authentication, if the service says.</summary>
        public DateTimeOffset? OfflineExpiresOn { get; set; }

        /// <summary>
        /// The code in clear text, for the operator to read out to the user, exactly once: the
        /// SecureString is disposed and a second call throws.
        /// </summary>
        /// <exception cref="InvalidOperationException">The code was already shown.</exception>
        public string RevealOnce()
        {
            SecureString taken;
            lock (gate)
            {
                taken = code;
                code = null;
            }

            if (taken == null)
            {
                throw new InvalidOperationException($"The emergency access code of {UserName} was already shown once and is not kept; create a new one with New-RoEmergencyAccessCode if it was lost.");
            }

            try
            {
                return SecretText.Reveal(taken);
            }
            finally
            {
                taken.Dispose();
            }
        }

        /// <summary>Never the code.</summary>
        public override string ToString() => $"Emergency access code for {UserName} (expires {ExpiresOn:u})";
    }
}
