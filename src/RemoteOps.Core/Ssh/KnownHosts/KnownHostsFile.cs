using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>
    /// Reads and writes the OpenSSH known_hosts format:
    /// [@marker] host-patterns key-type base64-key [comment].
    /// Parsing is tolerant: a bad line becomes a problem report with its line number and is
    /// otherwise skipped, never an exception, because one damaged line must not stop SSH to
    /// every other host.
    /// </summary>
    internal static class KnownHostsFile
    {
        private const string ValidLine = "expected '[@cert-authority|@revoked] host[,host...] key-type base64-key [comment]'";
        private static readonly char[] Blanks = { ' ', '\t' };

        /// <summary>Reads every line of <paramref name="path"/>; a missing file reads as empty.</summary>
        public static IReadOnlyList<KnownHostsLine> Read(string path)
        {
            var lines = new List<KnownHostsLine>();
            FileStream stream;
            try
            {
                // FileShare.Delete lets a writer rename a new version over the file while it is read.
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                return lines;
            }
            catch (DirectoryNotFoundException)
            {
                return lines;
            }

            using (stream)
            using (var reader = new StreamReader(stream, new UTF8Encoding(false), true))
            {
                string text;
                var number = 0;
                while ((text = reader.ReadLine()) != null)
                {
                    lines.Add(ParseLine(text, ++number, path));
                }
            }

            return lines;
        }

        public static KnownHostsLine ParseLine(string text, int lineNumber, string sourcePath)
        {
            var content = text.Trim(Blanks);
            if (content.Length == 0 || content[0] == '#')
            {
                return new KnownHostsLine(text, lineNumber, null, null);
            }

            var position = 0;
            var marker = KnownHostMarker.None;
            var field = NextField(content, ref position);
            if (field[0] == '@')
            {
                if (field == "@cert-authority")
                {
                    marker = KnownHostMarker.CertAuthority;
                }
                else if (field == "@revoked")
                {
                    marker = KnownHostMarker.Revoked;
                }
                else
                {
                    return Bad(text, lineNumber, "unknown marker " + DisplayText.Quote(field) + "; valid markers are @cert-authority and @revoked");
                }

                field = NextField(content, ref position);
            }

            var hosts = field;
            var keyType = NextField(content, ref position);
            var keyText = NextField(content, ref position);
            if (hosts == null || keyType == null || keyText == null)
            {
                return Bad(text, lineNumber, "too few fields; " + ValidLine);
            }

            if (IsDigits(keyType))
            {
                return Bad(text, lineNumber, "this is an SSH protocol 1 key (bits exponent modulus), which is not supported");
            }

            if (!SshKeyType.IsWellFormed(keyType))
            {
                return Bad(text, lineNumber, "the key type " + DisplayText.Quote(keyType) + " is not a key type name such as ssh-ed25519");
            }

            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(keyText);
            }
            catch (FormatException)
            {
                return Bad(text, lineNumber, "the key is not valid base64");
            }

            if (!SshKeyType.TryReadFromBlob(blob, out var blobType))
            {
                return Bad(text, lineNumber, "the key is not an SSH public key");
            }

            if (blobType != keyType)
            {
                return Bad(text, lineNumber, "the key is a " + blobType + " key but the line says " + DisplayText.Quote(keyType));
            }

            var patterns = hosts.Split(',');
            var problem = CheckHostField(hosts, patterns);
            if (problem != null)
            {
                return Bad(text, lineNumber, problem);
            }

            var comment = content.Substring(position).Trim(Blanks);
            var entry = new KnownHostEntry(patterns, marker, keyType, blob, comment, lineNumber, sourcePath);
            return new KnownHostsLine(text, lineNumber, entry, null);
        }

        public static string Format(KnownHostEntry entry)
        {
            var builder = new StringBuilder();
            if (entry.Marker == KnownHostMarker.CertAuthority)
            {
                builder.Append("@cert-authority ");
            }
            else if (entry.Marker == KnownHostMarker.Revoked)
            {
                builder.Append("@revoked ");
            }

            builder.Append(string.Join(",", entry.HostPatterns)).Append(' ').Append(entry.KeyType).Append(' ').Append(entry.KeyBase64);
            if (entry.Comment != null)
            {
                builder.Append(' ').Append(entry.Comment);
            }

            return builder.ToString();
        }

        private static string CheckHostField(string hosts, string[] patterns)
        {
            if (HashedHostName.LooksHashed(hosts))
            {
                return HashedHostName.TryParse(hosts, out _)
                    ? null
                    : "the hashed host field is malformed; expected |1|base64-salt|base64-hash with 20-byte salt and hash";
            }

            foreach (var pattern in patterns)
            {
                if (pattern.Length == 0 || pattern == "!")
                {
                    return "the host list " + DisplayText.Quote(hosts) + " has an empty pattern";
                }
            }

            return null;
        }

        private static string NextField(string content, ref int position)
        {
            while (position < content.Length && (content[position] == ' ' || content[position] == '\t'))
            {
                position++;
            }

            if (position >= content.Length)
            {
                return null;
            }

            var start = position;
            while (position < content.Length && content[position] != ' ' && content[position] != '\t')
            {
                position++;
            }

            return content.Substring(start, position - start);
        }

        private static bool IsDigits(string text)
        {
            foreach (var c in text)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private static KnownHostsLine Bad(string text, int lineNumber, string problem)
        {
            return new KnownHostsLine(text, lineNumber, null, problem);
        }
    }
}
