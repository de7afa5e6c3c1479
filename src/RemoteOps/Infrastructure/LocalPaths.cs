using System;
using System.IO;
using System.Management.Automation;

namespace RemoteOps.Infrastructure
{
    /// <summary>Resolves local paths the way PowerShell users expect (relative to $PWD, ~ for home).</summary>
    internal static class LocalPaths
    {
        internal static string Resolve(PSCmdlet cmdlet, string path)
        {
            if (path.StartsWith("~", StringComparison.Ordinal))
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Substring(1).TrimStart('/', '\\'));
            }

            return cmdlet.GetUnresolvedProviderPathFromPSPath(path);
        }
    }
}
