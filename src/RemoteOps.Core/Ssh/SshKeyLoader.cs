using System;
using System.IO;
using Renci.SshNet;
using Renci.SshNet.Common;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Ssh
{
    /// <summary>Loads private keys with errors that say which file and what is wrong with it.</summary>
    internal static class SshKeyLoader
    {
        internal static IPrivateKeySource Load(SshKeyFile keyFile)
        {
            string path = Environment.ExpandEnvironmentVariables(keyFile.Path);
            if (path.StartsWith("~", StringComparison.Ordinal))
            {
                path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Substring(1).TrimStart('/', '\\'));
            }

            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The key file '{keyFile.Path}' does not exist. Pass the path of a private key (OpenSSH, PEM or PuTTY format).", keyFile.Path);
            }

            try
            {
                string passphrase = SecretText.Reveal(keyFile.Passphrase);
                return passphrase == null ? new PrivateKeyFile(path) : new PrivateKeyFile(path, passphrase);
            }
            catch (SshPassPhraseNullOrEmptyException)
            {
                throw new ArgumentException($"The key file '{keyFile.Path}' is encrypted: give its passphrase with -KeyPassphrase.");
            }
            catch (SshException) when (keyFile.Passphrase != null && keyFile.Passphrase.Length > 0)
            {
                // SSH.NET reports a wrong passphrase as a checksum or padding failure of the
                // decrypted key ("random check bytes do not match"), never in those words.
                throw new ArgumentException($"The key file '{keyFile.Path}' could not be decrypted: the passphrase is wrong, or the file is damaged.");
            }
            catch (SshException error)
            {
                throw new ArgumentException($"The key file '{keyFile.Path}' is not a private key SSH.NET can read ({error.GetType().Name}). Use an OpenSSH, PEM or PuTTY private key.");
            }
        }
    }
}
