using System;
using System.IO;
using Renci.SshNet;
using Renci.SshNet.Common;

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
                string passphrase = SshCredentials.Reveal(keyFile.Passphrase);
                return passphrase == null ? new PrivateKeyFile(path) : new PrivateKeyFile(path, passphrase);
            }
            catch (SshPassPhraseNullOrEmptyException)
            {
                throw new ArgumentException($"The key file '{keyFile.Path}' is encrypted: give its passphrase with -KeyPassphrase.");
            }
            catch (SshException error) when (error.Message.IndexOf("passphrase", StringComparison.OrdinalIgnoreCase) >= 0
                || error.Message.IndexOf("decrypt", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw new ArgumentException($"The key file '{keyFile.Path}' could not be decrypted: the passphrase is wrong.");
            }
            catch (SshException error)
            {
                throw new ArgumentException($"The key file '{keyFile.Path}' is not a private key SSH.NET can read ({error.GetType().Name}). Use an OpenSSH, PEM or PuTTY private key.");
            }
        }
    }
}
