using System;
using System.Linq;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>Checks that a management key is one OpenSSH public key line that authorized_keys will take.</summary>
    public static class ManagementSshKey
    {
        /// <summary>The key types OpenSSH accepts in authorized_keys that RemoteOps puts on laptops.</summary>
        public static readonly string[] KeyTypes =
        {
            "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
            "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
        };

        /// <summary>
        /// The key as one normalised line ("type base64 [comment]"); throws ArgumentException naming
        /// what is wrong (never the key file's full text, which could be a pasted private key).
        /// </summary>
        public static string Parse(string text, string source)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            if (text.Contains("PRIVATE KEY"))
            {
                throw new ArgumentException($"'{source}' holds a private key. Give the public key (the .pub file, for example ~/.ssh/id_ed25519.pub); the private key must never leave your machine.");
            }

            string[] lines = text.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && !line.StartsWith("#", StringComparison.Ordinal))
                .ToArray();
            if (lines.Length != 1)
            {
                throw new ArgumentException($"'{source}' holds {lines.Length} key lines; give a file with exactly one OpenSSH public key line (type, base64 key, optional comment).");
            }

            string[] parts = lines[0].Split(new[] { ' ', '\t' }, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !KeyTypes.Contains(parts[0], StringComparer.Ordinal))
            {
                throw new ArgumentException($"'{source}' is not an OpenSSH public key line: it must start with one of {string.Join(", ", KeyTypes)}, then the base64 key.");
            }

            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(parts[1]);
            }
            catch (FormatException)
            {
                throw new ArgumentException($"The key in '{source}' is not valid base64.");
            }

            if (!string.Equals(SshKeyBlob.ReadKeyType(blob), parts[0], StringComparison.Ordinal))
            {
                throw new ArgumentException($"The key in '{source}' says it is {parts[0]} but its base64 data is not such a key.");
            }

            string comment = parts.Length == 3 ? parts[2].Trim() : null;
            if (comment != null && comment.Any(char.IsControl))
            {
                throw new ArgumentException($"The comment of the key in '{source}' holds control characters.");
            }

            return comment == null ? parts[0] + " " + parts[1] : parts[0] + " " + parts[1] + " " + comment;
        }
    }
}
