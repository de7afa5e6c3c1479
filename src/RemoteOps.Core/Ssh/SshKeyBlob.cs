using System;
using System.Text;

namespace RemoteOps.Core.Ssh
{
    /// <summary>Reads the parts of an SSH public key blob (RFC 4253 section 6.6) that RemoteOps needs.</summary>
    public static class SshKeyBlob
    {
        /// <summary>The key type the blob starts with ("ssh-ed25519", "ssh-rsa", ...), or null if the blob is malformed.</summary>
        public static string ReadKeyType(byte[] blob)
        {
            if (blob == null || blob.Length < 4)
            {
                return null;
            }

            int length = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
            if (length <= 0 || length > 64 || 4 + length > blob.Length)
            {
                return null;
            }

            return Encoding.ASCII.GetString(blob, 4, length);
        }

        /// <summary>The blob as written in known_hosts and authorized_keys files.</summary>
        public static string ToBase64(byte[] blob) => Convert.ToBase64String(blob ?? throw new ArgumentNullException(nameof(blob)));
    }
}
