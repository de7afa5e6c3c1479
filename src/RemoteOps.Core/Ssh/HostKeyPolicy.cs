using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh
{
    /// <summary>The choice of how host keys are trusted: strict, trust on first use, or pinned fingerprints.</summary>
    public sealed class HostKeyPolicy
    {
        private HostKeyPolicy(HostKeyPolicyMode mode, IReadOnlyList<string> pinnedFingerprints)
        {
            Mode = mode;
            PinnedFingerprints = pinnedFingerprints;
        }

        /// <summary>Trust only keys already known.</summary>
        public static HostKeyPolicy Strict { get; } = new HostKeyPolicy(HostKeyPolicyMode.Strict, Array.AsReadOnly(new string[0]));

        /// <summary>Trust and record the key of a host never seen before; refuse changed keys.</summary>
        public static HostKeyPolicy AcceptNew { get; } = new HostKeyPolicy(HostKeyPolicyMode.AcceptNew, Array.AsReadOnly(new string[0]));

        /// <summary>
        /// The policy for checking against the known-hosts store in the given mode: AcceptNew, or
        /// Strict for every other mode (Pinned without a pin for a host falls back to the store, strictly).
        /// </summary>
        public static HostKeyPolicy ForStore(HostKeyPolicyMode mode) => mode == HostKeyPolicyMode.AcceptNew ? AcceptNew : Strict;

        /// <summary>The mode.</summary>
        public HostKeyPolicyMode Mode { get; }

        /// <summary>The accepted fingerprints in canonical form ("SHA256:" + unpadded base64); empty unless pinned.</summary>
        public IReadOnlyList<string> PinnedFingerprints { get; }

        /// <summary>Trust only keys with one of these SHA-256 fingerprints (as ssh-keygen -lf prints them).</summary>
        /// <exception cref="ArgumentException">No fingerprint was given, or one is not a SHA-256 fingerprint; the message names it.</exception>
        public static HostKeyPolicy Pin(params string[] fingerprints)
        {
            if (fingerprints == null || fingerprints.Length == 0)
            {
                throw new ArgumentException(
                    "Pinning needs at least one fingerprint in the form SHA256:<43 base64 characters>, as printed by 'ssh-keygen -lf <key.pub>' or Get-RoSshHostKey.",
                    nameof(fingerprints));
            }

            var normalized = new List<string>();
            foreach (var fingerprint in fingerprints)
            {
                if (!SshFingerprint.TryNormalize(fingerprint, out var canonical))
                {
                    throw new ArgumentException(
                        DisplayText.Quote(fingerprint) + " is not a SHA-256 host key fingerprint. Use the form SHA256:<43 base64 characters> "
                        + "as printed by 'ssh-keygen -lf <key.pub>' or Get-RoSshHostKey; MD5 fingerprints (aa:bb:...) are not accepted.",
                        nameof(fingerprints));
                }

                normalized.Add(canonical);
            }

            return new HostKeyPolicy(HostKeyPolicyMode.Pinned, Array.AsReadOnly(normalized.Distinct(StringComparer.Ordinal).ToArray()));
        }

        /// <summary>The mode, and for a pinned policy its fingerprints.</summary>
        public override string ToString()
        {
            return Mode == HostKeyPolicyMode.Pinned ? "Pinned (" + string.Join(", ", PinnedFingerprints) + ")" : Mode.ToString();
        }
    }
}
