using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Ssh.KnownHosts
{
    /// <summary>
    /// The known host keys: one known_hosts file this store writes, plus any number of files
    /// it only reads (such as the user's ~/.ssh/known_hosts). Files are read afresh on every
    /// call, so changes by other processes are seen at once. Safe for concurrent use by
    /// threads and processes: writes are serialized by a lock file and replace the file
    /// atomically, so readers see the old or the new version, never half of one.
    /// </summary>
    public sealed class KnownHostsStore
    {
        private const int MaxCommentLength = 256;

        // Threads of one process queue here before contending for the lock file, so the
        // file lock only ever arbitrates between processes and the retry loop stays short.
        private static readonly ConcurrentDictionary<string, object> ProcessLocks = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);

        private readonly object processLock;
        private readonly TimeSpan lockTimeout;

        /// <summary>
        /// Creates a store over <paramref name="path"/>, the file it writes, and read-only
        /// <paramref name="readOnlyPaths"/>. Nothing is created until the first write: then the
        /// folder and file are created, owner-only (0700/0600) on Unix.
        /// </summary>
        /// <exception cref="ArgumentException">A path is null, empty or not a valid path.</exception>
        public KnownHostsStore(string path, params string[] readOnlyPaths)
            : this(path, readOnlyPaths, RetryingFileOpener.DefaultTimeout)
        {
        }

        internal KnownHostsStore(string path, IEnumerable<string> readOnlyPaths, TimeSpan lockTimeout)
        {
            FilePath = FullPath(path, nameof(path));
            ReadOnlyFilePaths = (readOnlyPaths ?? Enumerable.Empty<string>())
                .Select(readOnlyPath => FullPath(readOnlyPath, nameof(readOnlyPaths)))
                .Where(readOnlyPath => !string.Equals(readOnlyPath, FilePath, StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .ToList()
                .AsReadOnly();
            this.lockTimeout = lockTimeout;
            processLock = ProcessLocks.GetOrAdd(FilePath, _ => new object());
        }

        /// <summary>
        /// The default store file: $XDG_CONFIG_HOME/RemoteOps/known_hosts (~/.config/RemoteOps/known_hosts)
        /// on Unix, %APPDATA%\RemoteOps\known_hosts on Windows.
        /// </summary>
        public static string DefaultPath => Path.Combine(UserDirectories.ConfigHome(), "RemoteOps", "known_hosts");

        /// <summary>The user's OpenSSH known_hosts file, ~/.ssh/known_hosts (also on Windows).</summary>
        public static string UserOpenSshKnownHostsPath => Path.Combine(UserDirectories.Home(), ".ssh", "known_hosts");

        /// <summary>The file this store writes.</summary>
        public string FilePath { get; }

        /// <summary>The files this store only reads, in the order they are consulted after <see cref="FilePath"/>.</summary>
        public IReadOnlyList<string> ReadOnlyFilePaths { get; }

        private string LockPath => FilePath + ".lock";

        /// <summary>
        /// Every entry from every file that applies to the host and port, including
        /// @revoked and @cert-authority entries (see <see cref="KnownHostEntry.Marker"/>).
        /// </summary>
        /// <exception cref="ArgumentException">The host or port is not valid.</exception>
        /// <exception cref="IOException">The store file exists but cannot be read.</exception>
        public IReadOnlyList<KnownHostEntry> Find(string host, int port)
        {
            KnownHostName.ValidateHost(host, nameof(host));
            KnownHostName.ValidatePort(port, nameof(port));
            return GetAll().Where(entry => entry.Matches(host, port)).ToList().AsReadOnly();
        }

        /// <summary>Every valid entry of every file: the store file first, then the read-only files.</summary>
        /// <exception cref="IOException">The store file exists but cannot be read.</exception>
        public IReadOnlyList<KnownHostEntry> GetAll()
        {
            var entries = new List<KnownHostEntry>();
            ReadAll(entries, new List<KnownHostsWarning>());
            return entries.AsReadOnly();
        }

        /// <summary>Lines that were skipped as invalid, and read-only files that could not be read.</summary>
        public IReadOnlyList<KnownHostsWarning> GetWarnings()
        {
            var warnings = new List<KnownHostsWarning>();
            ReadAll(new List<KnownHostEntry>(), warnings);
            return warnings.AsReadOnly();
        }

        /// <summary>
        /// Records that <paramref name="host"/> on <paramref name="port"/> has this key, replacing
        /// the store file's entry for the same host, port and key type. Entries for other key
        /// types, wildcard entries and @revoked/@cert-authority lines are left alone. Adding a
        /// key that is already recorded the same way changes nothing.
        /// </summary>
        /// <param name="host">A DNS name or IP address (not a pattern).</param>
        /// <param name="port">The SSH port; 22 is written as the bare host, others as [host]:port.</param>
        /// <param name="keyType">The key type, for example ssh-ed25519 (rsa-sha2-256/512 are taken as ssh-rsa).</param>
        /// <param name="keyBlob">The public key in SSH wire format; it must be of <paramref name="keyType"/>.</param>
        /// <param name="comment">Optional text after the key on the line; no control characters.</param>
        /// <returns>The entry as written, with its line number.</returns>
        /// <exception cref="ArgumentException">An argument is not valid; the message names it and what is valid.</exception>
        /// <exception cref="IOException">The file stayed locked by another process for too long, or could not be written.</exception>
        public KnownHostEntry Add(string host, int port, string keyType, byte[] keyBlob, string comment = null)
        {
            var entry = NewEntry(host, port, keyType, keyBlob, comment);
            return WithWriteLock(() => AddLocked(entry, host, port));
        }

        /// <summary>
        /// Removes the store file's entries that name exactly <paramref name="host"/> (on
        /// <paramref name="port"/>, or on any port when null), optionally only of one key
        /// type. Only literal names are removed: wildcard entries, @revoked and
        /// @cert-authority lines and the read-only files are never changed. A line listing
        /// several hosts keeps the others.
        /// </summary>
        /// <returns>How many entries were removed or had this host removed from them.</returns>
        /// <exception cref="ArgumentException">An argument is not valid.</exception>
        public int Remove(string host, int? port = null, string keyType = null)
        {
            KnownHostName.ValidateHost(host, nameof(host));
            if (port.HasValue)
            {
                KnownHostName.ValidatePort(port.Value, nameof(port));
            }

            var canonicalType = keyType == null ? null : CanonicalKeyType(keyType);
            if (!File.Exists(FilePath))
            {
                return 0;
            }

            return WithWriteLock(() => RemoveLocked(host, port, canonicalType));
        }

        /// <summary>
        /// Adds the key only if <paramref name="stillWanted"/>, given what is known about the
        /// host at that moment, agrees. The check and the write happen under the write lock,
        /// so two connections that both saw an unknown host cannot both record a key.
        /// </summary>
        /// <returns>The entry written, or null when <paramref name="stillWanted"/> said no.</returns>
        internal KnownHostEntry AddIf(
            string host,
            int port,
            string keyType,
            byte[] keyBlob,
            string comment,
            Func<IReadOnlyList<KnownHostEntry>, bool> stillWanted)
        {
            var entry = NewEntry(host, port, keyType, keyBlob, comment);
            return WithWriteLock(() => stillWanted(Find(host, port)) ? AddLocked(entry, host, port) : null);
        }

        private static KnownHostEntry NewEntry(string host, int port, string keyType, byte[] keyBlob, string comment)
        {
            KnownHostName.ValidateHost(host, nameof(host));
            KnownHostName.ValidatePort(port, nameof(port));
            var canonicalType = CanonicalKeyType(keyType);
            if (keyBlob == null)
            {
                throw new ArgumentNullException(nameof(keyBlob));
            }

            if (!SshKeyType.TryReadFromBlob(keyBlob, out var blobType))
            {
                throw new ArgumentException(
                    "The key blob is not an SSH public key; pass the key in SSH wire format (a length-prefixed key type name followed by the key).",
                    nameof(keyBlob));
            }

            if (blobType != canonicalType)
            {
                throw new ArgumentException(
                    "The key blob holds a " + blobType + " key but the key type given is " + DisplayText.Quote(keyType) + "; pass the key type of the key.",
                    nameof(keyType));
            }

            return new KnownHostEntry(
                new[] { KnownHostName.Format(host, port) },
                KnownHostMarker.None,
                canonicalType,
                keyBlob,
                ValidComment(comment),
                0,
                null);
        }

        private static string CanonicalKeyType(string keyType)
        {
            if (keyType == null)
            {
                throw new ArgumentNullException(nameof(keyType));
            }

            var canonical = SshKeyType.FromAlgorithm(keyType);
            if (!SshKeyType.IsWellFormed(canonical))
            {
                throw new ArgumentException(
                    DisplayText.Quote(keyType) + " is not a key type name; use a name such as ssh-ed25519, ecdsa-sha2-nistp256 or ssh-rsa.",
                    nameof(keyType));
            }

            return canonical;
        }

        // A comment is the rest of a line, so a line break in it would write a second,
        // attacker-chosen line (for example a key for another host) into the file.
        private static string ValidComment(string comment)
        {
            if (comment == null)
            {
                return null;
            }

            var trimmed = comment.Trim();
            if (trimmed.Length > MaxCommentLength || trimmed.Any(char.IsControl))
            {
                throw new ArgumentException(
                    "The comment " + DisplayText.Quote(comment) + " is not valid; use at most 256 characters and no control characters or line breaks.",
                    nameof(comment));
            }

            return trimmed.Length == 0 ? null : trimmed;
        }

        private static string FullPath(string path, string parameterName)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("A known_hosts path is null or empty; pass the path of a known_hosts file.", parameterName);
            }

            try
            {
                return Path.GetFullPath(path);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                throw new ArgumentException(DisplayText.Quote(path) + " is not a valid file path: " + ex.Message, parameterName, ex);
            }
        }

        private void ReadAll(List<KnownHostEntry> entries, List<KnownHostsWarning> warnings)
        {
            Collect(KnownHostsFile.Read(FilePath), FilePath, entries, warnings);
            foreach (var path in ReadOnlyFilePaths)
            {
                IReadOnlyList<KnownHostsLine> lines;
                try
                {
                    lines = KnownHostsFile.Read(path);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Another tool's file being unreadable must not stop us using our own.
                    warnings.Add(new KnownHostsWarning(path, 0, "could not be read and was skipped: " + ex.Message));
                    continue;
                }

                Collect(lines, path, entries, warnings);
            }
        }

        private static void Collect(IReadOnlyList<KnownHostsLine> lines, string path, List<KnownHostEntry> entries, List<KnownHostsWarning> warnings)
        {
            foreach (var line in lines)
            {
                if (line.Entry != null)
                {
                    entries.Add(line.Entry);
                }
                else if (line.Problem != null)
                {
                    warnings.Add(new KnownHostsWarning(path, line.LineNumber, line.Problem));
                }
            }
        }

        private KnownHostEntry AddLocked(KnownHostEntry entry, string host, int port)
        {
            var output = new List<string>();
            var replaced = 0;
            KnownHostEntry identical = null;
            foreach (var line in KnownHostsFile.Read(FilePath))
            {
                var existing = line.Entry;
                var naming = existing != null && existing.Marker == KnownHostMarker.None && existing.KeyType == entry.KeyType
                    ? existing.PatternsNaming(host, port)
                    : Array.Empty<string>();
                if (naming.Count == 0)
                {
                    output.Add(line.Text);
                    continue;
                }

                replaced++;
                if (!existing.IsHashed && existing.HostPatterns.Count == 1 && existing.HasKey(entry.GetKeyBlob()) && existing.Comment == entry.Comment)
                {
                    identical = existing;
                }

                AddRemainder(output, existing, naming);
            }

            if (replaced == 1 && identical != null)
            {
                return identical;
            }

            output.Add(KnownHostsFile.Format(entry));
            WriteAtomically(output);
            return entry.WithLocation(output.Count, FilePath);
        }

        private int RemoveLocked(string host, int? port, string keyType)
        {
            var output = new List<string>();
            var removed = 0;
            foreach (var line in KnownHostsFile.Read(FilePath))
            {
                var existing = line.Entry;
                var naming = existing != null && existing.Marker == KnownHostMarker.None && (keyType == null || existing.KeyType == keyType)
                    ? existing.PatternsNaming(host, port)
                    : Array.Empty<string>();
                if (naming.Count == 0)
                {
                    output.Add(line.Text);
                    continue;
                }

                removed++;
                AddRemainder(output, existing, naming);
            }

            if (removed > 0)
            {
                WriteAtomically(output);
            }

            return removed;
        }

        // Keeps the other hosts of a multi-host line; a line left with only negations would
        // match nothing, so it goes.
        private static void AddRemainder(List<string> output, KnownHostEntry existing, IReadOnlyList<string> removedPatterns)
        {
            if (existing.IsHashed)
            {
                return;
            }

            var remaining = existing.HostPatterns.Where(pattern => !removedPatterns.Contains(pattern)).ToArray();
            if (remaining.Any(pattern => !pattern.StartsWith("!", StringComparison.Ordinal)))
            {
                output.Add(KnownHostsFile.Format(existing.WithHostPatterns(remaining)));
            }
        }

        private T WithWriteLock<T>(Func<T> action)
        {
            lock (processLock)
            {
                EnsureDirectory();
                while (true)
                {
                    using (var lockFile = RetryingFileOpener.Open(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, lockTimeout, "known_hosts lock file"))
                    {
                        // The holder deletes the lock file before it lets go, so a process that
                        // waited on the file it had opened may now hold one nobody else sees:
                        // it holds the lock only if that file is still the one at LockPath.
                        // Where this cannot be told, the lock file is left in place instead.
                        var current = UnixFileMetadata.IsSameFile(lockFile, LockPath);
                        if (current == false)
                        {
                            continue;
                        }

                        try
                        {
                            return action();
                        }
                        finally
                        {
                            if (current == true)
                            {
                                TryDelete(LockPath);
                            }
                        }
                    }
                }
            }
        }

        private void EnsureDirectory()
        {
            var directory = Path.GetDirectoryName(FilePath);
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
                OwnerOnlyPermissions.TryApplyToDirectory(directory);
            }
        }

        /// <summary>
        /// Replaces the file with <paramref name="lines"/> by writing a temporary file beside it
        /// and renaming it into place, so readers see the old or the new version. A symbolic
        /// link is followed and the file it points to is replaced, never the link. An existing
        /// file keeps its owner, group and mode; where the rename would lose them (the owner
        /// is another account and this one may not give files away) the file is rewritten in
        /// place instead, which keeps them but is not atomic for readers.
        /// </summary>
        private void WriteAtomically(IReadOnlyList<string> lines)
        {
            var text = lines.Count == 0 ? string.Empty : string.Join("\n", lines) + "\n";
            var bytes = new UTF8Encoding(false).GetBytes(text);
            var target = UnixFileMetadata.ResolveLinks(FilePath);
            var existing = File.Exists(target);
            uint owner = 0, group = 0, mode = 0;
            var known = existing && UnixFileMetadata.TryGetOwnerAndMode(target, out owner, out group, out mode);
            var directory = Path.GetDirectoryName(target);
            var temporary = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    // Settled while still empty, so the keys are never readable by others.
                    if (known)
                    {
                        if (!UnixFileMetadata.TrySetOwnerAndMode(temporary, owner, group, mode))
                        {
                            stream.Dispose();
                            TryDelete(temporary);
                            RewriteInPlace(target, bytes);
                            return;
                        }
                    }
                    else
                    {
                        OwnerOnlyPermissions.TryApplyToFile(temporary);
                    }

                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }

                ReplaceWithRetry(temporary, target);
            }
            finally
            {
                TryDelete(temporary);
            }
        }

        private static void RewriteInPlace(string target, byte[] bytes)
        {
            using (var stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.SetLength(bytes.Length);
                stream.Flush(true);
            }
        }

        // On Windows a virus scanner or indexer may hold the target open for a moment.
        private void ReplaceWithRetry(string temporary, string target)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if (File.Exists(target))
                    {
                        File.Replace(temporary, target, null, true);
                    }
                    else
                    {
                        File.Move(temporary, target);
                    }

                    return;
                }
                catch (IOException) when (clock.Elapsed < lockTimeout)
                {
                    Thread.Sleep(20);
                }
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
