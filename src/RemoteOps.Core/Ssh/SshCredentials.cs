using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Ssh
{
    /// <summary>A private key file to offer, with its passphrase if it has one.</summary>
    public sealed class SshKeyFile
    {
        /// <summary>Creates a key file reference.</summary>
        public SshKeyFile(string path, SecureString passphrase = null)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("A key file path is required.", nameof(path));
            }

            Path = path;
            Passphrase = passphrase;
        }

        /// <summary>Path of the private key (OpenSSH, PEM or PuTTY format).</summary>
        public string Path { get; }

        /// <summary>Passphrase of the key, or null when it has none.</summary>
        public SecureString Passphrase { get; }

        private readonly object gate = new object();
        private Renci.SshNet.IPrivateKeySource loaded;

        // Parsing a key (and running the KDF of an encrypted one) costs far more than using it:
        // a fan-out to hundreds of hosts parses each key file once.
        internal Renci.SshNet.IPrivateKeySource Load()
        {
            lock (gate)
            {
                return loaded ?? (loaded = SshKeyLoader.Load(this));
            }
        }
    }

    /// <summary>
    /// What to authenticate with. Secrets stay in SecureString until the moment SSH.NET needs
    /// them, and are never part of ToString, messages or logs.
    /// </summary>
    public sealed class SshCredentials
    {
        /// <summary>Creates credentials for a user name.</summary>
        public SshCredentials(string userName)
        {
            UserName = SshTarget.ValidateUserName(userName);
        }

        /// <summary>The remote account.</summary>
        public string UserName { get; }

        /// <summary>Password for password and keyboard-interactive authentication, or null.</summary>
        public SecureString Password { get; set; }

        /// <summary>Key files, offered in order before any password.</summary>
        public IList<SshKeyFile> KeyFiles { get; } = new List<SshKeyFile>();

        /// <summary>Also offer keyboard-interactive authentication (PAM prompts, second factors).</summary>
        public bool KeyboardInteractive { get; set; }

        /// <summary>
        /// Answers keyboard-interactive prompts other than the password prompt (for example a
        /// one-time code). Gets the prompt text and whether the server echoes the answer; returns
        /// the answer, or null to fall back to the password.
        /// </summary>
        public Func<string, bool, string> PromptResponder { get; set; }

        /// <summary>The secrets these credentials hold, for redacting them from any text.</summary>
        public IEnumerable<string> SecretsForRedaction()
        {
            if (Password != null && Password.Length > 0)
            {
                yield return SecretText.Reveal(Password);
            }

            foreach (SshKeyFile key in KeyFiles)
            {
                if (key.Passphrase != null && key.Passphrase.Length > 0)
                {
                    yield return SecretText.Reveal(key.Passphrase);
                }
            }
        }

        /// <inheritdoc />
        public override string ToString() => UserName;
    }
}
