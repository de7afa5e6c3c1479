using System;
using System.Runtime.InteropServices;
using System.Security;

namespace RemoteOps.Core.Audit
{
    /// <summary>
    /// The one place a SecureString becomes text: when a library call, a request body or the
    /// redaction list needs it. Reveal as late as possible and never keep the result longer than
    /// the call that needs it; redaction goes through <see cref="AuditLog.Redact"/>.
    /// </summary>
    internal static class SecretText
    {
        /// <summary>The secret's text, or null for null.</summary>
        internal static string Reveal(SecureString secret)
        {
            if (secret == null)
            {
                return null;
            }

            IntPtr buffer = IntPtr.Zero;
            try
            {
                buffer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                // With the length: a NUL inside the secret must not cut it short unnoticed.
                return Marshal.PtrToStringUni(buffer, secret.Length);
            }
            finally
            {
                if (buffer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(buffer);
                }
            }
        }
    }
}
