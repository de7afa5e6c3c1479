using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Decides whether a host key presented during key exchange is trusted, under a
    /// <see cref="HostKeyPolicy"/>, against a <see cref="KnownHostsStore"/>. Never prompts:
    /// every refusal comes back as a verdict that says what to do. Safe for concurrent use.
    /// </summary>
    /// <remarks>
    /// Strict follows OpenSSH: revoked beats everything; a known key of the same type and
    /// blob is trusted; a known key of the same type with another blob is a mismatch; keys
    /// of other types neither trust nor contradict, so the result is Unknown.
    /// AcceptNew departs from OpenSSH's accept-new in one way: OpenSSH records a key of a new
    /// type for a host it already knows, which lets an impostor that offers only another key
    /// type be trusted. Here only a host with no known plain key at all is trusted on first
    /// use; a new key type for a known host stays Unknown until added explicitly.
    /// @cert-authority entries are ignored: RemoteOps does not accept host certificates.
    /// </remarks>
    public sealed class HostKeyVerifier
    {
        private readonly KnownHostsStore store;

        /// <summary>Creates a verifier. The store may be null only for a pinned policy, which never uses it.</summary>
        /// <exception cref="ArgumentNullException">The policy is null, or the store is null for a policy that needs it.</exception>
        public HostKeyVerifier(KnownHostsStore store, HostKeyPolicy policy)
        {
            Policy = policy ?? throw new ArgumentNullException(nameof(policy));
            if (store == null && policy.Mode != HostKeyPolicyMode.Pinned)
            {
                throw new ArgumentNullException(nameof(store), "A known-hosts store is required for the " + policy.Mode + " policy; only a pinned policy works without one.");
            }

            this.store = store;
        }

        /// <summary>The policy applied.</summary>
        public HostKeyPolicy Policy { get; }

        /// <summary>
        /// Checks the key <paramref name="host"/> presented on <paramref name="port"/>. Under
        /// AcceptNew the key of a host with no known key is recorded in the store.
        /// </summary>
        /// <param name="host">The host as the user named it (not an address a tunnel leads to).</param>
        /// <param name="port">The SSH port.</param>
        /// <param name="keyType">The key type or negotiated host key algorithm (rsa-sha2-256/512 mean ssh-rsa); null to take it from the blob.</param>
        /// <param name="keyBlob">The presented public key in SSH wire format.</param>
        /// <exception cref="ArgumentException">An argument is not valid, or the blob is not of <paramref name="keyType"/>.</exception>
        /// <exception cref="System.IO.IOException">The known-hosts store could not be read or written.</exception>
        public HostKeyVerdict Verify(string host, int port, string keyType, byte[] keyBlob)
        {
            KnownHostName.ValidateHost(host, nameof(host));
            KnownHostName.ValidatePort(port, nameof(port));
            var blobType = ReadKeyType(keyType, keyBlob);
            var presented = SshFingerprint.Sha256(keyBlob);

            if (Policy.Mode == HostKeyPolicyMode.Pinned)
            {
                var pinned = Policy.PinnedFingerprints.Contains(presented, StringComparer.Ordinal);
                return new HostKeyVerdict(
                    pinned ? HostKeyVerdictKind.TrustedByPin : HostKeyVerdictKind.Mismatch,
                    host,
                    port,
                    blobType,
                    presented,
                    pinned ? new[] { presented } : Policy.PinnedFingerprints,
                    Enumerable.Empty<KnownHostEntry>(),
                    null);
            }

            var verdict = Judge(host, port, blobType, keyBlob, presented, store.Find(host, port));
            if (verdict.Kind != HostKeyVerdictKind.Unknown || Policy.Mode != HostKeyPolicyMode.AcceptNew || verdict.KnownFingerprints.Count > 0)
            {
                return verdict;
            }

            var comment = "added by RemoteOps (AcceptNew) " + DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var recorded = store.AddIf(
                host,
                port,
                blobType,
                keyBlob,
                comment,
                current => IsFirstUse(Judge(host, port, blobType, keyBlob, presented, current)));
            if (recorded != null)
            {
                return new HostKeyVerdict(HostKeyVerdictKind.TrustedAndRecorded, host, port, blobType, presented, new[] { presented }, new[] { recorded }, store.FilePath);
            }

            // Another thread or process recorded a key for this host in the meantime: judge
            // against that, so two racing first connections cannot both be trusted with different keys.
            return Judge(host, port, blobType, keyBlob, presented, store.Find(host, port));
        }

        private static bool IsFirstUse(HostKeyVerdict verdict)
        {
            return verdict.Kind == HostKeyVerdictKind.Unknown && verdict.KnownFingerprints.Count == 0;
        }

        private HostKeyVerdict Judge(string host, int port, string keyType, byte[] keyBlob, string presented, IReadOnlyList<KnownHostEntry> entries)
        {
            var revoked = entries.Where(entry => entry.Marker == KnownHostMarker.Revoked && entry.HasKey(keyBlob)).ToArray();
            if (revoked.Length > 0)
            {
                return Verdict(HostKeyVerdictKind.Revoked, new[] { presented }, revoked);
            }

            var plain = entries.Where(entry => entry.Marker == KnownHostMarker.None).ToArray();
            var sameType = plain.Where(entry => entry.KeyType == keyType).ToArray();
            var matching = sameType.Where(entry => entry.HasKey(keyBlob)).ToArray();
            if (matching.Length > 0)
            {
                return Verdict(HostKeyVerdictKind.Trusted, new[] { presented }, matching);
            }

            if (sameType.Length > 0)
            {
                return Verdict(HostKeyVerdictKind.Mismatch, sameType.Select(entry => entry.Fingerprint), sameType);
            }

            return Verdict(HostKeyVerdictKind.Unknown, plain.Select(entry => entry.Fingerprint), plain);

            HostKeyVerdict Verdict(HostKeyVerdictKind kind, IEnumerable<string> fingerprints, IEnumerable<KnownHostEntry> evidence)
            {
                return new HostKeyVerdict(kind, host, port, keyType, presented, fingerprints, evidence, store.FilePath);
            }
        }

        private static string ReadKeyType(string keyType, byte[] keyBlob)
        {
            if (keyBlob == null)
            {
                throw new ArgumentNullException(nameof(keyBlob));
            }

            if (!SshKeyType.TryReadFromBlob(keyBlob, out var blobType))
            {
                throw new ArgumentException("The presented host key is not an SSH public key blob (a length-prefixed key type name followed by the key).", nameof(keyBlob));
            }

            if (keyType != null && SshKeyType.FromAlgorithm(keyType) != blobType)
            {
                throw new ArgumentException(
                    "The host key blob holds a " + blobType + " key but the key type given is " + DisplayText.Quote(keyType) + "; pass the key's type (or null to read it from the blob).",
                    nameof(keyType));
            }

            return blobType;
        }
    }
}
