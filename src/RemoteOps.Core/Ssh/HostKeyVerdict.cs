using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using RemoteOps.Core.Ssh.KnownHosts;

namespace RemoteOps.Core.Ssh
{
    /// <summary>The result of checking one presented host key, with the evidence. Immutable.</summary>
    public sealed class HostKeyVerdict
    {
        private readonly IReadOnlyList<KnownHostEntry> evidence;
        private readonly string writablePath;

        internal HostKeyVerdict(
            HostKeyVerdictKind kind,
            string host,
            int port,
            string keyType,
            string presentedFingerprint,
            IEnumerable<string> knownFingerprints,
            IEnumerable<KnownHostEntry> evidence,
            string writablePath)
        {
            Kind = kind;
            Host = host;
            Port = port;
            KeyType = keyType;
            PresentedFingerprint = presentedFingerprint;
            KnownFingerprints = Array.AsReadOnly(knownFingerprints.Distinct(StringComparer.Ordinal).ToArray());
            this.evidence = evidence.ToArray();
            this.writablePath = writablePath;
        }

        /// <summary>What was decided.</summary>
        public HostKeyVerdictKind Kind { get; }

        /// <summary>True when the connection may go ahead.</summary>
        public bool IsTrusted => Kind == HostKeyVerdictKind.Trusted || Kind == HostKeyVerdictKind.TrustedAndRecorded || Kind == HostKeyVerdictKind.TrustedByPin;

        /// <summary>The host as checked.</summary>
        public string Host { get; }

        /// <summary>The port as checked.</summary>
        public int Port { get; }

        /// <summary>The type of the presented key, for example ssh-ed25519.</summary>
        public string KeyType { get; }

        /// <summary>The SHA-256 fingerprint of the presented key.</summary>
        public string PresentedFingerprint { get; }

        /// <summary>
        /// For <see cref="HostKeyVerdictKind.Mismatch"/>: the fingerprints that were expected
        /// (the known keys of the same type, or the pins). For <see cref="HostKeyVerdictKind.Unknown"/>:
        /// the fingerprints of keys of other types known for the host. Otherwise the matching known keys.
        /// </summary>
        public IReadOnlyList<string> KnownFingerprints { get; }

        /// <summary>What was decided and why, and for a refusal what to do about it.</summary>
        public string Explain()
        {
            switch (Kind)
            {
                case HostKeyVerdictKind.Trusted:
                    return string.Format(CultureInfo.InvariantCulture, "The {0} host key of {1}, {2}, is trusted: it is recorded in {3}.", KeyType, HostAndPort(), PresentedFingerprint, Sources(evidence));
                case HostKeyVerdictKind.TrustedAndRecorded:
                    return string.Format(CultureInfo.InvariantCulture, "No key was known for {0}; its {1} key {2} was trusted on first use (-HostKeyPolicy AcceptNew) and recorded in {3}.", HostAndPort(), KeyType, PresentedFingerprint, Sources(evidence));
                case HostKeyVerdictKind.TrustedByPin:
                    return string.Format(CultureInfo.InvariantCulture, "The {0} host key of {1}, {2}, matches a pinned fingerprint.", KeyType, HostAndPort(), PresentedFingerprint);
                case HostKeyVerdictKind.Unknown:
                    return ExplainUnknown();
                case HostKeyVerdictKind.Mismatch:
                    return writablePath == null ? ExplainPinMismatch() : ExplainChangedKey();
                case HostKeyVerdictKind.Revoked:
                    return string.Format(
                        CultureInfo.InvariantCulture,
                        "The {0} host key {1} presented by {2} is revoked ({3}) and is never accepted. The host may be compromised or impersonated: contact its administrator, who must install a new host key.",
                        KeyType,
                        PresentedFingerprint,
                        HostAndPort(),
                        "@revoked in " + Sources(evidence));
                default:
                    return Kind.ToString();
            }
        }

        /// <inheritdoc />
        public override string ToString()
        {
            return Kind + ": " + Explain();
        }

        private string ExplainUnknown()
        {
            var builder = new StringBuilder();
            if (KnownFingerprints.Count == 0)
            {
                builder.AppendFormat(CultureInfo.InvariantCulture, "No host key is known for {0}. It presented the {1} key {2}. ", HostAndPort(), KeyType, PresentedFingerprint);
            }
            else
            {
                builder.AppendFormat(
                    CultureInfo.InvariantCulture,
                    "{0} presented the {1} key {2}, but only keys of other types are known for it: {3} ({4}). "
                    + "A host that suddenly offers another key type may be an impostor, so such a key is never trusted automatically, not even with -HostKeyPolicy AcceptNew. ",
                    HostAndPort(),
                    KeyType,
                    PresentedFingerprint,
                    string.Join(", ", evidence.Select(entry => entry.KeyType + " " + entry.Fingerprint).Distinct(StringComparer.Ordinal)),
                    Sources(evidence));
            }

            builder.AppendFormat(
                CultureInfo.InvariantCulture,
                "Check the fingerprint out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then run '{0}'",
                AddCommand());
            if (KnownFingerprints.Count == 0)
            {
                builder.Append(", or connect with -HostKeyPolicy AcceptNew to trust a new host on first use");
            }

            return builder.Append('.').ToString();
        }

        private string ExplainChangedKey()
        {
            var builder = new StringBuilder();
            builder.AppendFormat(
                CultureInfo.InvariantCulture,
                "The {0} host key of {1} has changed. It presented {2}, but the known {0} key is {3} ({4}). "
                + "This may be a man-in-the-middle attack, or the host was re-installed. "
                + "Check the new fingerprint out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub). If it is right, run '{5}' and then '{6}', or connect with -HostKeyPolicy AcceptNew after removing the old key.",
                KeyType,
                HostAndPort(),
                PresentedFingerprint,
                string.Join(", ", KnownFingerprints),
                Sources(evidence),
                RemoveCommand(),
                AddCommand());

            // Remove-RoKnownHost only edits the RemoteOps store; a key in another file (such as
            // ~/.ssh/known_hosts) must be removed where it is, or it keeps blocking the host.
            foreach (var path in evidence.Select(entry => entry.SourcePath).Where(path => path != null && path != writablePath).Distinct(StringComparer.Ordinal))
            {
                builder.AppendFormat(
                    CultureInfo.InvariantCulture,
                    " The old key is also in {0}, which RemoteOps does not change: remove it there with 'ssh-keygen -R \"{1}\" -f \"{0}\"'.",
                    path,
                    KnownHostName.Format(Host, Port));
            }

            return builder.ToString();
        }

        private string ExplainPinMismatch()
        {
            return string.Format(
                CultureInfo.InvariantCulture,
                "The host key of {0} does not match the pinned fingerprints. It presented the {1} key {2}; pinned: {3}. "
                + "This may be a man-in-the-middle attack, or the host key was changed. Check the key out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and, if it is right, pin {2} instead.",
                HostAndPort(),
                KeyType,
                PresentedFingerprint,
                string.Join(", ", KnownFingerprints));
        }

        private string HostAndPort()
        {
            return string.Format(CultureInfo.InvariantCulture, "'{0}' (port {1})", Host, Port);
        }

        private string PortParameter()
        {
            return Port == SshTarget.DefaultPort ? string.Empty : " -Port " + Port.ToString(CultureInfo.InvariantCulture);
        }

        private string RemoveCommand()
        {
            return "Remove-RoKnownHost -ComputerName " + Host + PortParameter();
        }

        private string AddCommand()
        {
            return "Add-RoKnownHost -ComputerName " + Host + PortParameter();
        }

        private static string Sources(IEnumerable<KnownHostEntry> entries)
        {
            var places = entries
                .Select(entry => entry.SourcePath == null
                    ? "the known-hosts store"
                    : string.Format(CultureInfo.InvariantCulture, "{0} line {1}", entry.SourcePath, entry.LineNumber))
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            return places.Length == 0 ? "the known-hosts store" : string.Join("; ", places);
        }
    }
}
