using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>
    /// Whether a host key may be trusted, and how: checked against the fingerprint the caller
    /// got out of band, refused when @revoked, a no-op when already trusted, and refused when
    /// another key of the same type is trusted unless replacing it was asked for (a changed
    /// key is what an interception looks like, so replacing one must be a deliberate choice).
    /// </summary>
    public sealed class KnownHostTrustDecision
    {
        private KnownHostTrustDecision(KnownHostTrustVerdict verdict, string fingerprint, KnownHostEntry trustedEntry, string message, string remedy)
        {
            Verdict = verdict;
            Fingerprint = fingerprint;
            TrustedEntry = trustedEntry;
            Message = message;
            Remedy = remedy;
        }

        /// <summary>The outcome.</summary>
        public KnownHostTrustVerdict Verdict { get; }

        /// <summary>The SHA-256 fingerprint of the key.</summary>
        public string Fingerprint { get; }

        /// <summary>The entry that already trusts the key (<see cref="KnownHostTrustVerdict.AlreadyTrusted"/>), else null.</summary>
        public KnownHostEntry TrustedEntry { get; }

        /// <summary>Why the key is refused, or null when it may be written or is already trusted.</summary>
        public string Message { get; }

        /// <summary>What to do about a refusal, or null.</summary>
        public string Remedy { get; }

        /// <summary>True when the known-hosts store is to be written.</summary>
        public bool WritesStore => Verdict == KnownHostTrustVerdict.Add || Verdict == KnownHostTrustVerdict.Replace;

        /// <summary>Decides about trusting <paramref name="keyBlob"/> of <paramref name="keyType"/> for <paramref name="target"/>.</summary>
        /// <param name="target">The host and port.</param>
        /// <param name="knownEntries">Every entry the store knows for the host and port (KnownHostsStore.Find).</param>
        /// <param name="storeFilePath">The file the store writes: a different key only there is replaced, elsewhere it is shadowed.</param>
        /// <param name="keyType">The key type, for example ssh-ed25519.</param>
        /// <param name="keyBlob">The public key in SSH wire format.</param>
        /// <param name="expectedFingerprint">The fingerprint checked out of band, or null.</param>
        /// <param name="replaceOtherKey">Replace a different trusted key of the same type (-Force).</param>
        /// <exception cref="ArgumentException"><paramref name="expectedFingerprint"/> is not a SHA-256 fingerprint.</exception>
        public static KnownHostTrustDecision Decide(
            SshTarget target,
            IReadOnlyList<KnownHostEntry> knownEntries,
            string storeFilePath,
            string keyType,
            byte[] keyBlob,
            string expectedFingerprint,
            bool replaceOtherKey)
        {
            if (target == null)
            {
                throw new ArgumentNullException(nameof(target));
            }

            var fingerprint = SshFingerprint.Sha256(keyBlob);
            if (expectedFingerprint != null)
            {
                if (!SshFingerprint.TryNormalize(expectedFingerprint, out var expected))
                {
                    throw new ArgumentException(DisplayText.Quote(expectedFingerprint) + " is not a SHA-256 host key fingerprint; give it as OpenSSH prints it: SHA256: followed by 43 base64 characters.");
                }

                if (!string.Equals(expected, fingerprint, StringComparison.Ordinal))
                {
                    return Refused(
                        KnownHostTrustVerdict.FingerprintMismatch,
                        fingerprint,
                        $"{target} presents the key {fingerprint}, not the expected {expected}. The key was not trusted.",
                        "Check the fingerprint with the host's administrator; a different key may mean the connection is intercepted.");
                }
            }

            var entries = knownEntries ?? Array.Empty<KnownHostEntry>();
            if (entries.Any(e => e.Marker == KnownHostMarker.Revoked && e.Fingerprint == fingerprint))
            {
                return Refused(
                    KnownHostTrustVerdict.Revoked,
                    fingerprint,
                    $"The key {fingerprint} of {target} is marked @revoked in the known-hosts files; it was not trusted.",
                    "A revoked key must not come back: find out why the host presents it.");
            }

            var sameType = entries.Where(e => e.Marker == KnownHostMarker.None && e.KeyType == keyType).ToList();
            var trusted = sameType.FirstOrDefault(e => e.Fingerprint == fingerprint);
            if (trusted != null)
            {
                return new KnownHostTrustDecision(KnownHostTrustVerdict.AlreadyTrusted, fingerprint, trusted, null, null);
            }

            if (sameType.Count > 0 && !replaceOtherKey)
            {
                return Refused(
                    KnownHostTrustVerdict.OtherKeyTrusted,
                    fingerprint,
                    $"A different {keyType} key is already trusted for {target} ({string.Join(", ", sameType.Select(e => e.Fingerprint))}); the new key {fingerprint} was not added.",
                    $"If the host was re-installed, add -Force, or run 'Remove-RoKnownHost -ComputerName {target.Host} -Port {target.Port}' first.");
            }

            var replaces = sameType.Any(e => string.Equals(e.SourcePath, storeFilePath, StringComparison.Ordinal));
            return new KnownHostTrustDecision(replaces ? KnownHostTrustVerdict.Replace : KnownHostTrustVerdict.Add, fingerprint, null, null, null);
        }

        private static KnownHostTrustDecision Refused(KnownHostTrustVerdict verdict, string fingerprint, string message, string remedy)
            => new KnownHostTrustDecision(verdict, fingerprint, null, message, remedy);
    }
}
