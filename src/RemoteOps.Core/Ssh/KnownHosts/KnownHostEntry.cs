using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>One key line of a known_hosts file. Immutable.</summary>
    public sealed class KnownHostEntry
    {
        private readonly byte[] keyBlob;
        private readonly HashedHostName hashedName;

        internal KnownHostEntry(
            IReadOnlyList<string> hostPatterns,
            KnownHostMarker marker,
            string keyType,
            byte[] keyBlob,
            string comment,
            int lineNumber,
            string sourcePath)
        {
            HostPatterns = Array.AsReadOnly(hostPatterns.ToArray());
            if (HostPatterns.Count == 1 && HashedHostName.LooksHashed(HostPatterns[0]))
            {
                if (!HashedHostName.TryParse(HostPatterns[0], out hashedName))
                {
                    throw new ArgumentException("Malformed hashed host field " + DisplayText.Quote(HostPatterns[0]) + "; expected |1|salt|hash.", nameof(hostPatterns));
                }
            }

            Marker = marker;
            KeyType = keyType;
            this.keyBlob = (byte[])keyBlob.Clone();
            KeyBase64 = Convert.ToBase64String(keyBlob);
            Fingerprint = SshFingerprint.Sha256(keyBlob);
            Comment = string.IsNullOrEmpty(comment) ? null : comment;
            LineNumber = lineNumber;
            SourcePath = sourcePath;
        }

        /// <summary>The host field as written, split at commas; one "|1|salt|hash" item when hashed.</summary>
        public IReadOnlyList<string> HostPatterns { get; }

        /// <summary>Whether the line is a plain entry, @cert-authority or @revoked.</summary>
        public KnownHostMarker Marker { get; }

        /// <summary>The key type, for example "ssh-ed25519".</summary>
        public string KeyType { get; }

        /// <summary>The public key blob in base64, as written in the file.</summary>
        public string KeyBase64 { get; }

        /// <summary>The OpenSSH SHA-256 fingerprint of the key ("SHA256:...").</summary>
        public string Fingerprint { get; }

        /// <summary>The text after the key, or null.</summary>
        public string Comment { get; }

        /// <summary>True when the host field is hashed, so the host names cannot be read from it.</summary>
        public bool IsHashed => hashedName != null;

        /// <summary>The 1-based line in <see cref="SourcePath"/>, or 0 for an entry not read from a file.</summary>
        public int LineNumber { get; }

        /// <summary>The file the entry was read from, or null.</summary>
        public string SourcePath { get; }

        /// <summary>A copy of the public key blob (SSH wire format).</summary>
        public byte[] GetKeyBlob()
        {
            return (byte[])keyBlob.Clone();
        }

        /// <summary>
        /// True when this entry applies to <paramref name="host"/> on <paramref name="port"/>
        /// by OpenSSH's rules: the host string is "host" for port 22 and "[host]:port"
        /// otherwise, matched against each pattern (wildcards * and ?, case-insensitive) or
        /// against the hash; any matching "!pattern" excludes the host.
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="host"/> is null or empty, or <paramref name="port"/> is outside 1-65535.</exception>
        public bool Matches(string host, int port)
        {
            if (string.IsNullOrEmpty(host))
            {
                throw new ArgumentException("The host is empty; pass the host name or address to look up.", nameof(host));
            }

            KnownHostName.ValidatePort(port, nameof(port));
            var hostString = KnownHostName.Format(host, port);
            return IsHashed ? hashedName.Matches(hostString) : HostPatternList.Matches(HostPatterns, hostString);
        }

        /// <summary>The entry as a known_hosts line.</summary>
        public override string ToString()
        {
            return KnownHostsFile.Format(this);
        }

        internal bool HasKey(byte[] blob)
        {
            if (blob == null || blob.Length != keyBlob.Length)
            {
                return false;
            }

            for (var i = 0; i < blob.Length; i++)
            {
                if (blob[i] != keyBlob[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The patterns of this entry that name exactly this host (and port, or any port when
        /// null): literal names only, never wildcards or negations, because removing or
        /// replacing a wildcard entry would change trust for other hosts too. A hashed entry
        /// can only be tested for given ports, so "any port" tests port 22 there.
        /// </summary>
        internal IReadOnlyList<string> PatternsNaming(string host, int? port)
        {
            if (IsHashed)
            {
                var hostString = KnownHostName.Format(host, port ?? SshTarget.DefaultPort);
                return hashedName.Matches(hostString) ? HostPatterns : Array.Empty<string>();
            }

            var lower = host.ToLowerInvariant();
            return HostPatterns
                .Where(pattern => !pattern.StartsWith("!", StringComparison.Ordinal) && !HostPatternList.HasWildcard(pattern))
                .Where(pattern => port.HasValue
                    ? string.Equals(pattern, KnownHostName.Format(lower, port.Value), StringComparison.OrdinalIgnoreCase)
                    : string.Equals(pattern, lower, StringComparison.OrdinalIgnoreCase) || KnownHostName.IsBracketedForm(pattern, lower))
                .ToArray();
        }

        internal KnownHostEntry WithHostPatterns(IReadOnlyList<string> hostPatterns)
        {
            return new KnownHostEntry(hostPatterns, Marker, KeyType, keyBlob, Comment, LineNumber, SourcePath);
        }

        internal KnownHostEntry WithLocation(int lineNumber, string sourcePath)
        {
            return new KnownHostEntry(HostPatterns, Marker, KeyType, keyBlob, Comment, lineNumber, sourcePath);
        }
    }
}
