using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Where each host's copy of one downloaded file goes: Root/&lt;host folder&gt;/&lt;file name&gt;.
    /// The host folder is the host in one canonical spelling (a DNS name in lower case, an IP
    /// address as the address parser writes it, an IPv6 address with '_' for each ':'), followed
    /// by "+port" when the port is not 22. '+' occurs in no host, so "gw1:2222" (gw1+2222) and
    /// the host "gw1_2222" get folders of their own. Two targets that still map to one folder
    /// (the same host listed twice, with other users, or spelled differently) cannot both be
    /// written: the later is refused before it is contacted, never allowed to replace the first.
    /// </summary>
    public sealed class DownloadLayout
    {
        private readonly Dictionary<string, SshTarget> claimed = new Dictionary<string, SshTarget>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Lays out copies of <paramref name="remotePath"/> under <paramref name="root"/>.</summary>
        /// <exception cref="ArgumentException">The remote path does not end in a file name (see <see cref="FileNameOf"/>).</exception>
        public DownloadLayout(string root, string remotePath)
        {
            if (string.IsNullOrEmpty(root))
            {
                throw new ArgumentException("The local folder for downloads is empty; pass a folder path.", nameof(root));
            }

            Root = root;
            FileName = FileNameOf(remotePath);
        }

        /// <summary>The local folder that holds one folder per host.</summary>
        public string Root { get; }

        /// <summary>The name each copy is saved under: the last part of the remote path.</summary>
        public string FileName { get; }

        /// <summary>The folder name of <paramref name="target"/> (see the class summary).</summary>
        public static string FolderName(SshTarget target)
        {
            if (target == null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            var host = CanonicalHost(target.Host);
            return target.Port == SshTarget.DefaultPort
                ? host
                : host + "+" + target.Port.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// The last part of a remote file path. A path ending in '/', "." or ".." names a
        /// directory, not a file, and would put the copy outside its host folder.
        /// </summary>
        /// <exception cref="ArgumentException">The path is empty, holds NUL, or does not end in a file name.</exception>
        public static string FileNameOf(string remotePath)
        {
            if (string.IsNullOrEmpty(remotePath) || remotePath.IndexOf('\0') >= 0)
            {
                throw new ArgumentException("The remote path " + DisplayText.Quote(remotePath) + " is empty or holds a NUL character; pass the path of a remote file, for example /etc/os-release.", nameof(remotePath));
            }

            RemotePath.Validate(remotePath, "The remote path " + DisplayText.Quote(remotePath));
            var name = remotePath.Substring(remotePath.LastIndexOf('/') + 1);
            if (name.Length == 0 || name == "." || name == "..")
            {
                throw new ArgumentException("The remote path " + DisplayText.Quote(remotePath) + " does not end in a file name (it ends in '/', '.' or '..'); pass the path of a remote file, for example /etc/os-release.", nameof(remotePath));
            }

            return name;
        }

        /// <summary>
        /// Claims the local path for <paramref name="target"/>. Returns false, with the target
        /// that holds it, when an earlier target of this layout maps to the same folder.
        /// </summary>
        public bool TryClaim(SshTarget target, out string localPath, out SshTarget holder)
        {
            var folder = FolderName(target);
            localPath = Path.Combine(Root, folder, FileName);
            if (claimed.TryGetValue(folder, out holder))
            {
                return false;
            }

            claimed.Add(folder, target);
            return true;
        }

        private static string CanonicalHost(string host)
        {
            if (HostNameSyntax.IsIPv6Literal(host))
            {
                // The zone stays as given: interface names are case-sensitive.
                var percent = host.IndexOf('%');
                var zone = percent >= 0 ? host.Substring(percent) : string.Empty;
                var address = IPAddress.Parse(percent >= 0 ? host.Substring(0, percent) : host);

                // ':' is not allowed in Windows file names.
                return address.ToString().ToLowerInvariant().Replace(':', '_') + zone;
            }

            return host.ToLowerInvariant();
        }
    }
}
