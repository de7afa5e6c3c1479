using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Audit
{
    /// <summary>
    /// An append-only log of changes, one JSON object per line (JSON Lines). Any number of
    /// threads and processes may append at once: each append takes an exclusive lock on the
    /// file (FileShare.None), so lines never interleave and none is lost.
    /// </summary>
    public sealed class AuditLog
    {
        private const int ReadChunkBytes = 64 * 1024;
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        private readonly TimeSpan lockTimeout;

        /// <summary>Creates a log over <paramref name="path"/>; the file and folder are created on the first append.</summary>
        /// <exception cref="ArgumentException">The path is null, empty or not a valid path.</exception>
        public AuditLog(string path)
            : this(path, RetryingFileOpener.DefaultTimeout)
        {
        }

        internal AuditLog(string path, TimeSpan lockTimeout)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("The audit log path is null or empty; pass the path of the log file, or use AuditLog.DefaultPath.", nameof(path));
            }

            try
            {
                Path = System.IO.Path.GetFullPath(path);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                throw new ArgumentException("'" + path + "' is not a valid file path: " + ex.Message, nameof(path), ex);
            }

            this.lockTimeout = lockTimeout;
        }

        /// <summary>
        /// The default log: $XDG_STATE_HOME/RemoteOps/audit.jsonl (~/.local/state/RemoteOps/audit.jsonl)
        /// on Unix, %LOCALAPPDATA%\RemoteOps\audit.jsonl on Windows.
        /// </summary>
        public static string DefaultPath => System.IO.Path.Combine(UserDirectories.StateHome(), "RemoteOps", "audit.jsonl");

        /// <summary>The log file.</summary>
        public string Path { get; }

        /// <summary>
        /// Masks each of <paramref name="secrets"/> in <paramref name="text"/> where it stands as
        /// a whole value (also as shell-quoted, URL-encoded and JSON-escaped), and any value that
        /// is plainly a credential, with "***".
        /// Use it on everything that goes into a record, a message or a stream.
        /// </summary>
        public static string Redact(string text, IEnumerable<string> secrets)
        {
            return SecretRedactor.Redact(text, secrets);
        }

        /// <summary>Appends one record as one line; threads of this process take turns, other processes are waited for up to 10 s.</summary>
        /// <exception cref="ArgumentException">User, Target, Action or Outcome is empty.</exception>
        /// <exception cref="IOException">The log stayed locked by others for too long, or could not be written.</exception>
        public void Append(AuditRecord record)
        {
            if (record == null)
            {
                throw new ArgumentNullException(nameof(record));
            }

            AppendAll(new[] { record });
        }

        /// <summary>
        /// Appends records in order, one line each, under one lock and one flush to disk: the
        /// records of a stopped run (many hosts at once) are written in one go rather than
        /// waiting for the disk once per host while the user waits for the prompt.
        /// </summary>
        /// <exception cref="ArgumentException">A record's User, Target, Action or Outcome is empty; then none is written.</exception>
        /// <exception cref="IOException">The log stayed locked by others for too long, or could not be written.</exception>
        public void AppendAll(IReadOnlyList<AuditRecord> records)
        {
            if (records == null)
            {
                throw new ArgumentNullException(nameof(records));
            }

            var text = new StringBuilder();
            foreach (AuditRecord record in records)
            {
                if (record == null)
                {
                    throw new ArgumentNullException(nameof(records), "One of the audit records is null.");
                }

                text.Append(Serialize(record)).Append('\n');
            }

            if (text.Length == 0)
            {
                return;
            }

            var line = Utf8.GetBytes(text.ToString());
            EnsureDirectory();
            lock (AuditWriterGate.For(Path))
            {
                using (var stream = RetryingFileOpener.Open(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, lockTimeout, "audit log"))
                {
                    if (stream.Length == 0)
                    {
                        OwnerOnlyPermissions.TryApplyToFile(Path);
                    }

                    var bytes = EndsWithNewline(stream) ? line : Prepend((byte)'\n', line);
                    stream.Seek(0, SeekOrigin.End);
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
            }
        }

        /// <summary>
        /// Checks, before anything is changed, that <see cref="Append"/> will be able to write:
        /// the folder exists or can be created, and the log is, or can be created as, a regular
        /// file this process may open for writing. Creates the folder and an empty log when they
        /// are missing. A change that could not be audited must not be made, and an append
        /// that fails is found only after the change.
        /// </summary>
        /// <exception cref="IOException">The log cannot be written; the message names the path and why.</exception>
        public void CheckWritable()
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    throw new IOException("it is a directory.");
                }

                EnsureDirectory();
                using (var stream = RetryingFileOpener.Open(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, lockTimeout, "audit log"))
                {
                    // Devices such as /dev/full open and even seek like files but cannot hold a
                    // log; only a regular file can be truncated, here to the length it has
                    // (a no-op, and safe: the exclusive open keeps appends out meanwhile).
                    try
                    {
                        stream.SetLength(stream.Length);
                    }
                    catch (IOException notAFile)
                    {
                        throw new IOException("it is not a regular file (a device or a pipe?): " + notAFile.Message, notAFile);
                    }

                    if (stream.Length == 0)
                    {
                        OwnerOnlyPermissions.TryApplyToFile(Path);
                    }
                }
            }
            catch (Exception error) when (error is IOException || error is UnauthorizedAccessException || error is NotSupportedException)
            {
                throw new IOException("The audit log '" + Path + "' cannot be written: " + error.Message, error);
            }
        }

        /// <summary>
        /// The records in the order written, optionally only those at or after
        /// <paramref name="since"/>. Lines that are not valid records (such as a last line torn
        /// by a crash) are skipped. The file is read in chunks and not held open between them,
        /// so a slow reader never blocks writers.
        /// </summary>
        public IEnumerable<AuditRecord> Read(DateTimeOffset? since = null) => Read(since, null);

        /// <summary>
        /// As <see cref="Read(DateTimeOffset?)"/>, and tells <paramref name="damagedLine"/> the
        /// number (from 1) of each non-blank line that is not a valid record, so that damage
        /// to the log is reported rather than hidden.
        /// </summary>
        public IEnumerable<AuditRecord> Read(DateTimeOffset? since, Action<long> damagedLine)
        {
            var lineNumber = 0L;
            var position = 0L;
            var pending = new MemoryStream();
            var buffer = new byte[ReadChunkBytes];
            while (true)
            {
                var count = ReadChunk(position, buffer);
                if (count == 0)
                {
                    break;
                }

                position += count;
                var records = new List<AuditRecord>();
                var start = 0;
                for (var i = 0; i < count; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        continue;
                    }

                    pending.Write(buffer, start, i - start);
                    AddIfWanted(records, pending, since, ++lineNumber, damagedLine);
                    pending.SetLength(0);
                    start = i + 1;
                }

                pending.Write(buffer, start, count - start);
                foreach (var record in records)
                {
                    yield return record;
                }
            }

            // A last line without its newline was torn by a crash or is still being written;
            // it counts only if it is nonetheless a whole record.
            var last = new List<AuditRecord>();
            AddIfWanted(last, pending, since, ++lineNumber, damagedLine);
            foreach (var record in last)
            {
                yield return record;
            }
        }

        internal static bool TryParse(string line, out AuditRecord record)
        {
            record = null;
            if (string.IsNullOrWhiteSpace(line))
            {
                return false;
            }

            JObject json;
            try
            {
                using (var reader = new JsonTextReader(new StringReader(line)) { DateParseHandling = DateParseHandling.None })
                {
                    json = JObject.Load(reader);
                    if (reader.Read())
                    {
                        return false;
                    }
                }
            }
            catch (JsonException)
            {
                return false;
            }

            if (!DateTimeOffset.TryParse(Text(json, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                return false;
            }

            record = new AuditRecord
            {
                Time = time,
                User = Text(json, "user"),
                Target = Text(json, "target"),
                Action = Text(json, "action"),
                Outcome = Text(json, "outcome"),
                Detail = Text(json, "detail"),
                CorrelationId = Text(json, "correlationId"),
            };
            return true;
        }

        internal static string Serialize(AuditRecord record)
        {
            Require(record.User, "User");
            Require(record.Target, "Target");
            Require(record.Action, "Action");
            Require(record.Outcome, "Outcome");

            var text = new StringWriter(CultureInfo.InvariantCulture);
            using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
            {
                writer.WriteStartObject();
                Write(writer, "time", record.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                Write(writer, "user", record.User);
                Write(writer, "target", record.Target);
                Write(writer, "action", record.Action);
                Write(writer, "outcome", record.Outcome);
                Write(writer, "detail", record.Detail);
                Write(writer, "correlationId", record.CorrelationId);
                writer.WriteEndObject();
            }

            // JSON escapes line breaks inside strings, so the line holds exactly one record.
            return text.ToString();
        }

        private static void Require(string value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("The audit record's " + name + " is empty; every record says who (User) did what (Action) to which Target, and how it ended (Outcome).", "record");
            }
        }

        private static void Write(JsonTextWriter writer, string name, string value)
        {
            if (value == null)
            {
                return;
            }

            writer.WritePropertyName(name);
            writer.WriteValue(value);
        }

        private static string Text(JObject json, string name)
        {
            var token = json[name];
            return token == null || token.Type == JTokenType.Null ? null : token.ToString();
        }

        private static void AddIfWanted(List<AuditRecord> records, MemoryStream line, DateTimeOffset? since, long lineNumber, Action<long> damagedLine)
        {
            if (line.Length == 0)
            {
                return;
            }

            var text = Utf8.GetString(line.GetBuffer(), 0, (int)line.Length);
            if (!TryParse(text, out var record))
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    damagedLine?.Invoke(lineNumber);
                }

                return;
            }

            if (since == null || record.Time >= since.Value)
            {
                records.Add(record);
            }
        }

        private int ReadChunk(long position, byte[] buffer)
        {
            FileStream stream;
            try
            {
                stream = RetryingFileOpener.Open(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, lockTimeout, "audit log");
            }
            catch (FileNotFoundException)
            {
                return 0;
            }
            catch (DirectoryNotFoundException)
            {
                return 0;
            }

            using (stream)
            {
                stream.Seek(position, SeekOrigin.Begin);
                var total = 0;
                int read;
                while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
                {
                    total += read;
                }

                return total;
            }
        }

        // A writer that crashed mid-line leaves no newline; starting a new line keeps that
        // damage to the torn record instead of also spoiling this one.
        private static bool EndsWithNewline(FileStream stream)
        {
            if (stream.Length == 0)
            {
                return true;
            }

            stream.Seek(-1, SeekOrigin.End);
            return stream.ReadByte() == '\n';
        }

        private static byte[] Prepend(byte first, byte[] rest)
        {
            var bytes = new byte[rest.Length + 1];
            bytes[0] = first;
            Buffer.BlockCopy(rest, 0, bytes, 1, rest.Length);
            return bytes;
        }

        private void EnsureDirectory()
        {
            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                OwnerOnlyPermissions.TryApplyToDirectory(directory);
            }
        }
    }
}
