using System;
using System.IO;
using System.Linq;
using System.Security;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Audit
{
    public sealed class SecretTextTests
    {
        [Fact]
        public void RevealsTheWholeSecretEvenWithANulInside()
        {
            var secret = new SecureString();
            foreach (char c in "pa\0ss'word")
            {
                secret.AppendChar(c);
            }

            Assert.Equal("pa\0ss'word", SecretText.Reveal(secret));
            Assert.Null(SecretText.Reveal(null));
        }

        [Fact]
        public void NoOtherSourceFileTurnsASecureStringIntoText()
        {
            string root = RepositoryFolder.Root();
            string[] ways = { "SecureStringToGlobalAlloc", "SecureStringToBSTR", "GetNetworkCredential", "new NetworkCredential(", "new System.Net.NetworkCredential(" };

            var offenders = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Where(f => !f.EndsWith(Path.Combine("Audit", "SecretText.cs"), StringComparison.Ordinal))
                .Where(f => ways.Any(way => File.ReadAllText(f).Contains(way, StringComparison.Ordinal)))
                .Select(f => Path.GetRelativePath(root, f))
                .ToList();

            Assert.Empty(offenders);
        }
    }
}
