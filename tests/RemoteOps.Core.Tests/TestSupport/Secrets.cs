using System.Security;

namespace RemoteOps.Core.Tests.TestSupport
{
    /// <summary>Secrets as the drivers take them.</summary>
    internal static class Secrets
    {
        internal static SecureString Secure(string text)
        {
            var secret = new SecureString();
            foreach (char c in text)
            {
                secret.AppendChar(c);
            }

            secret.MakeReadOnly();
            return secret;
        }
    }
}
