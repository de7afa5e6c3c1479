using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Ssh.KnownHosts;

namespace RemoteOps.Infrastructure
{
    /// <summary>Which known-hosts files a cmdlet uses.</summary>
    internal static class KnownHostsLocation
    {
        /// <summary>
        /// The file named by -KnownHostsPath alone; without it, the RemoteOps store (written)
        /// plus the user's ~/.ssh/known_hosts (read only), so keys already trusted with OpenSSH count.
        /// </summary>
        internal static KnownHostsStore Open(string knownHostsPath, PSCmdlet cmdlet)
        {
            if (!string.IsNullOrEmpty(knownHostsPath))
            {
                return new KnownHostsStore(LocalPaths.Resolve(cmdlet, knownHostsPath));
            }

            var extra = new List<string>();
            if (File.Exists(KnownHostsStore.UserOpenSshKnownHostsPath))
            {
                extra.Add(KnownHostsStore.UserOpenSshKnownHostsPath);
            }

            return new KnownHostsStore(KnownHostsStore.DefaultPath, extra.ToArray());
        }
    }
}
