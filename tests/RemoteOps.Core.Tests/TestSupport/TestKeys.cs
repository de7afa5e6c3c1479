using System;
using System.IO;
using System.Text;

namespace RemoteOps.Core.Tests.TestSupport
{
    /// <summary>Real host keys made by ssh-keygen, and fake blobs for cases where only the shape matters.</summary>
    internal static class TestKeys
    {
        internal sealed class Key
        {
            public string Type { get; init; }
            public byte[] Blob { get; init; }
            public string Base64 => Convert.ToBase64String(Blob);
            public string PublicKeyPath { get; init; }
            public string PublicLine { get; init; }
        }

        /// <summary>Generates a key pair with ssh-keygen in <paramref name="directory"/>.</summary>
        public static Key Generate(string directory, string type = "ed25519", string name = null)
        {
            var file = Path.Combine(directory, name ?? "key-" + type + "-" + Guid.NewGuid().ToString("N"));
            var arguments = type == "rsa"
                ? new[] { "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "test", "-f", file }
                : new[] { "-q", "-t", type, "-N", "", "-C", "test", "-f", file };
            ProcessRunner.RunChecked("ssh-keygen", arguments);
            var line = File.ReadAllText(file + ".pub").Trim();
            var fields = line.Split(' ');
            return new Key { Type = fields[0], Blob = Convert.FromBase64String(fields[1]), PublicKeyPath = file + ".pub", PublicLine = line };
        }

        /// <summary>A well-formed blob of the given type with random key material (not a real key).</summary>
        public static byte[] FakeBlob(string type = "ssh-ed25519", int materialLength = 36)
        {
            var name = Encoding.ASCII.GetBytes(type);
            var blob = new byte[4 + name.Length + materialLength];
            blob[3] = (byte)name.Length;
            Buffer.BlockCopy(name, 0, blob, 4, name.Length);
            var material = new byte[materialLength];
            Random.Shared.NextBytes(material);
            Buffer.BlockCopy(material, 0, blob, 4 + name.Length, materialLength);
            return blob;
        }
    }
}
