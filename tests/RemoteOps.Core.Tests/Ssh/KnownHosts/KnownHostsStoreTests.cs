using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Ssh.KnownHosts;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh.KnownHosts
{
    public sealed class KnownHostsStoreTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();
        private readonly string storePath;

        public KnownHostsStoreTests()
        {
            storePath = Path.Combine(temp.Path, "config", "RemoteOps", "known_hosts");
        }

        public void Dispose() => temp.Dispose();

        private static string Line(string hosts, byte[] blob, string type = "ssh-ed25519") => hosts + " " + type + " " + Convert.ToBase64String(blob);

        [Fact]
        public void ConstructingAStoreCreatesNothing()
        {
            var store = new KnownHostsStore(storePath);

            Assert.Empty(store.GetAll());
            Assert.Empty(store.Find("host", 22));
            Assert.False(Directory.Exists(Path.GetDirectoryName(storePath)));
        }

        [Fact]
        [System.Runtime.Versioning.SupportedOSPlatform("linux")]
        public void AddCreatesTheFolderAndAnOwnerOnlyFile()
        {
            var store = new KnownHostsStore(storePath);

            store.Add("host", 22, "ssh-ed25519", TestKeys.FakeBlob());

            Assert.True(File.Exists(storePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(storePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(storePath)));
        }

        [Fact]
        public void AddWritesAnOpenSSHLineThatSshKeygenFinds()
        {
            var key = TestKeys.Generate(temp.Path);
            var store = new KnownHostsStore(storePath);

            var added = store.Add("Host.Example", 22, key.Type, key.Blob, "first seen");
            var addedOnPort = store.Add("host.example", 2222, key.Type, key.Blob);

            Assert.Equal(new[] { "host.example ssh-ed25519 " + key.Base64 + " first seen", "[host.example]:2222 ssh-ed25519 " + key.Base64 }, File.ReadAllLines(storePath));
            Assert.Equal(1, added.LineNumber);
            Assert.Equal(2, addedOnPort.LineNumber);
            Assert.Equal(storePath, added.SourcePath);
            Assert.Equal(0, ProcessRunner.Run("ssh-keygen", new[] { "-F", "host.example", "-f", storePath }).ExitCode);
            Assert.Equal(0, ProcessRunner.Run("ssh-keygen", new[] { "-F", "[host.example]:2222", "-f", storePath }).ExitCode);
        }

        [Fact]
        public void FindReturnsTheEntriesForHostAndPortOnly()
        {
            var store = new KnownHostsStore(storePath);
            var ed = TestKeys.FakeBlob();
            var rsa = TestKeys.FakeBlob("ssh-rsa");
            store.Add("host", 22, "ssh-ed25519", ed);
            store.Add("host", 22, "ssh-rsa", rsa);
            store.Add("host", 2222, "ssh-ed25519", TestKeys.FakeBlob());
            store.Add("other", 22, "ssh-ed25519", TestKeys.FakeBlob());

            var found = store.Find("HOST", 22);

            Assert.Equal(2, found.Count);
            Assert.Equal(new[] { "ssh-ed25519", "ssh-rsa" }, found.Select(entry => entry.KeyType));
            Assert.Single(store.Find("host", 2222));
            Assert.Empty(store.Find("host", 23));
            Assert.Equal(4, store.GetAll().Count);
        }

        [Fact]
        public void AddReplacesTheEntryWithTheSameHostPortAndKeyTypeOnly()
        {
            var store = new KnownHostsStore(storePath);
            var oldKey = TestKeys.FakeBlob();
            var newKey = TestKeys.FakeBlob();
            var rsa = TestKeys.FakeBlob("ssh-rsa");
            store.Add("host", 22, "ssh-ed25519", oldKey);
            store.Add("host", 22, "ssh-rsa", rsa);
            store.Add("host", 2222, "ssh-ed25519", oldKey);

            store.Add("host", 22, "ssh-ed25519", newKey);

            var onPort22 = store.Find("host", 22);
            Assert.Equal(2, onPort22.Count);
            Assert.Equal(newKey, onPort22.Single(entry => entry.KeyType == "ssh-ed25519").GetKeyBlob());
            Assert.Equal(rsa, onPort22.Single(entry => entry.KeyType == "ssh-rsa").GetKeyBlob());
            Assert.Equal(oldKey, store.Find("host", 2222).Single().GetKeyBlob());
            Assert.Equal(3, File.ReadAllLines(storePath).Length);
        }

        [Fact]
        public void AddingAKeyAlreadyRecordedTheSameWayDoesNotRewriteTheFile()
        {
            var store = new KnownHostsStore(storePath);
            var key = TestKeys.FakeBlob();
            store.Add("host", 22, "ssh-ed25519", key);
            store.Add("second", 22, "ssh-ed25519", TestKeys.FakeBlob());
            var before = File.ReadAllText(storePath);

            var again = store.Add("host", 22, "ssh-ed25519", key);

            Assert.Equal(before, File.ReadAllText(storePath));
            Assert.Equal(1, again.LineNumber);
        }

        [Fact]
        public void AddKeepsCommentsUnknownLinesWildcardsRevocationsAndOtherHosts()
        {
            var key = TestKeys.FakeBlob();
            var lines = new[]
            {
                "# managed by hand",
                "this line is broken",
                Line("*.corp", key),
                "@revoked " + Line("host", key),
                Line("host,other", key),
                string.Empty,
            };
            Directory.CreateDirectory(Path.GetDirectoryName(storePath));
            File.WriteAllLines(storePath, lines);
            var store = new KnownHostsStore(storePath);
            var newKey = TestKeys.FakeBlob();

            store.Add("host", 22, "ssh-ed25519", newKey);

            var written = File.ReadAllLines(storePath);
            Assert.Equal(new[] { lines[0], lines[1], lines[2], lines[3], Line("other", key), string.Empty, Line("host", newKey) }, written);
        }

        [Fact]
        public void AddAcceptsANegotiatedRsaAlgorithmNameAndRecordsSshRsa()
        {
            var store = new KnownHostsStore(storePath);
            var key = TestKeys.Generate(temp.Path, "rsa");

            var added = store.Add("host", 22, "rsa-sha2-512", key.Blob);

            Assert.Equal("ssh-rsa", added.KeyType);
            Assert.StartsWith("host ssh-rsa ", File.ReadAllText(storePath));
        }

        public static IEnumerable<object[]> InvalidAdds()
        {
            var ed = TestKeys.FakeBlob();
            yield return new object[] { "host;rm", 22, "ssh-ed25519", ed, null, "host" };
            yield return new object[] { "*.corp", 22, "ssh-ed25519", ed, null, "host" };
            yield return new object[] { "[host]:22", 22, "ssh-ed25519", ed, null, "host" };
            yield return new object[] { "a,b", 22, "ssh-ed25519", ed, null, "host" };
            yield return new object[] { "host", 0, "ssh-ed25519", ed, null, "port" };
            yield return new object[] { "host", 65536, "ssh-ed25519", ed, null, "port" };
            yield return new object[] { "host", 22, "ssh-rsa", ed, null, "keyType" };
            yield return new object[] { "host", 22, "ssh ed25519", ed, null, "keyType" };
            yield return new object[] { "host", 22, "ssh-ed25519", new byte[] { 1, 2, 3 }, null, "keyBlob" };
            yield return new object[] { "host", 22, "ssh-ed25519", Array.Empty<byte>(), null, "keyBlob" };
            yield return new object[] { "host", 22, "ssh-ed25519", ed, "ok\n@revoked * ssh-ed25519 AAAA", "comment" };
            yield return new object[] { "host", 22, "ssh-ed25519", ed, "bell\a", "comment" };
            yield return new object[] { "host", 22, "ssh-ed25519", ed, new string('c', 257), "comment" };
        }

        [Theory]
        [MemberData(nameof(InvalidAdds))]
        public void AddRejectsInvalidInputAndWritesNothing(string host, int port, string keyType, byte[] blob, string comment, string parameter)
        {
            var store = new KnownHostsStore(storePath);

            var error = Assert.ThrowsAny<ArgumentException>(() => store.Add(host, port, keyType, blob, comment));

            Assert.Equal(parameter, error.ParamName);
            Assert.False(File.Exists(storePath));
        }

        [Fact]
        public void AddRejectsNullArguments()
        {
            var store = new KnownHostsStore(storePath);

            Assert.Throws<ArgumentNullException>(() => store.Add(null, 22, "ssh-ed25519", TestKeys.FakeBlob()));
            Assert.Throws<ArgumentNullException>(() => store.Add("host", 22, null, TestKeys.FakeBlob()));
            Assert.Throws<ArgumentNullException>(() => store.Add("host", 22, "ssh-ed25519", null));
        }

        [Fact]
        public void RemoveRemovesOnlyExactEntriesFromTheWritableFile()
        {
            var readOnlyPath = temp.File("user_known_hosts");
            var key = TestKeys.FakeBlob();
            File.WriteAllLines(readOnlyPath, new[] { Line("host", key) });
            var readOnlyBefore = File.ReadAllText(readOnlyPath);
            var store = new KnownHostsStore(storePath, readOnlyPath);
            store.Add("host", 22, "ssh-ed25519", key);
            store.Add("host", 22, "ssh-rsa", TestKeys.FakeBlob("ssh-rsa"));
            store.Add("host", 2222, "ssh-ed25519", key);
            store.Add("other", 22, "ssh-ed25519", key);

            Assert.Equal(1, store.Remove("host", 22, "ssh-rsa"));
            Assert.Equal(1, store.Remove("host", 22));
            Assert.Equal(0, store.Remove("host", 22));
            Assert.Equal(1, store.Remove("host"));
            Assert.Equal(0, store.Remove("host"));

            Assert.Equal(new[] { Line("other", key) }, File.ReadAllLines(storePath));
            Assert.Equal(readOnlyBefore, File.ReadAllText(readOnlyPath));
            Assert.Single(store.Find("host", 22));
            Assert.Equal(readOnlyPath, store.Find("host", 22).Single().SourcePath);
        }

        [Fact]
        public void RemoveWithoutPortTakesEveryPortAndKeepsOtherHostsOnSharedLines()
        {
            var key = TestKeys.FakeBlob();
            Directory.CreateDirectory(Path.GetDirectoryName(storePath));
            File.WriteAllLines(storePath, new[]
            {
                Line("host,[host]:2222,[host]:830", key),
                Line("[HOST]:2200,keep", key),
                Line("*.host,host*", key),
                "@revoked host " + "ssh-ed25519 " + Convert.ToBase64String(key),
                Line("[hostx]:22", key),
                Line("host,!nothing", key),
            });
            var store = new KnownHostsStore(storePath);

            var removed = store.Remove("host");

            Assert.Equal(3, removed);
            Assert.Equal(new[] { Line("keep", key), Line("*.host,host*", key), "@revoked host ssh-ed25519 " + Convert.ToBase64String(key), Line("[hostx]:22", key) }, File.ReadAllLines(storePath));
        }

        [Fact]
        public void RemoveTakesHashedEntriesForThePortGiven()
        {
            var key = TestKeys.FakeBlob();
            Directory.CreateDirectory(Path.GetDirectoryName(storePath));
            File.WriteAllLines(storePath, new[] { Line("host", key), Line("[host]:2222", key), Line("other", key) });
            ProcessRunner.RunChecked("ssh-keygen", "-H", "-f", storePath);
            var store = new KnownHostsStore(storePath);

            Assert.Equal(1, store.Remove("host", 2222));
            Assert.Equal(1, store.Remove("host"));

            var left = store.GetAll().Single();
            Assert.True(left.IsHashed);
            Assert.True(left.Matches("other", 22));
        }

        [Fact]
        public void RemoveOnAMissingStoreReturnsZeroAndCreatesNothing()
        {
            var store = new KnownHostsStore(storePath);

            Assert.Equal(0, store.Remove("host"));
            Assert.False(Directory.Exists(Path.GetDirectoryName(storePath)));
            Assert.Throws<ArgumentException>(() => store.Remove("a;b"));
            Assert.Throws<ArgumentOutOfRangeException>(() => store.Remove("host", 0));
        }

        [Fact]
        public void ReadOnlyFilesAreReadButNeverWritten()
        {
            var readOnlyPath = temp.File("ssh_known_hosts");
            var key = TestKeys.FakeBlob();
            File.WriteAllLines(readOnlyPath, new[] { Line("host", key), "garbage" });
            var before = File.ReadAllBytes(readOnlyPath);
            var store = new KnownHostsStore(storePath, readOnlyPath, temp.File("absent"));

            store.Add("host", 22, "ssh-ed25519", TestKeys.FakeBlob());

            Assert.Equal(before, File.ReadAllBytes(readOnlyPath));
            var found = store.Find("host", 22);
            Assert.Equal(new[] { storePath, readOnlyPath }, found.Select(entry => entry.SourcePath));
            var warning = Assert.Single(store.GetWarnings());
            Assert.Equal(readOnlyPath, warning.SourcePath);
            Assert.Equal(2, warning.LineNumber);
            Assert.Contains(readOnlyPath + ":2:", warning.ToString());
        }

        [Fact]
        public void AnUnreadableReadOnlyFileIsAWarningNotAFailure()
        {
            var unreadable = Path.Combine(temp.Path, "a-directory");
            Directory.CreateDirectory(unreadable);
            var store = new KnownHostsStore(storePath, unreadable);
            store.Add("host", 22, "ssh-ed25519", TestKeys.FakeBlob());

            Assert.Single(store.Find("host", 22));
            var warning = Assert.Single(store.GetWarnings());
            Assert.Equal(0, warning.LineNumber);
            Assert.Contains("could not be read", warning.Message);
        }

        [Fact]
        public void CorruptLinesAreSkippedAndReportedWithLineNumbers()
        {
            var key = TestKeys.FakeBlob();
            Directory.CreateDirectory(Path.GetDirectoryName(storePath));
            File.WriteAllLines(storePath, new[] { Line("a", key), "b ssh-ed25519 %%%", "# ok", Line("c", key), "@bogus d ssh-ed25519 AAAA" });
            var store = new KnownHostsStore(storePath);

            Assert.Equal(new[] { "a", "c" }, store.GetAll().Select(entry => entry.HostPatterns.Single()));
            Assert.Equal(new[] { 2, 5 }, store.GetWarnings().Select(warning => warning.LineNumber));
        }

        [Fact]
        public void ConstructorRejectsEmptyPathsAndIgnoresTheStoreAsItsOwnReadOnlyFile()
        {
            Assert.Throws<ArgumentException>(() => new KnownHostsStore(null));
            Assert.Throws<ArgumentException>(() => new KnownHostsStore(" "));
            Assert.Throws<ArgumentException>(() => new KnownHostsStore(storePath, new string[] { null }));
            var store = new KnownHostsStore(storePath, storePath, temp.File("x"), temp.File("x"));
            Assert.Equal(new[] { temp.File("x") }, store.ReadOnlyFilePaths);
        }

        [Fact]
        public void ConcurrentAddsFrom8ThreadsKeepEveryEntry()
        {
            var store = new KnownHostsStore(storePath);

            Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
            {
                for (var i = 0; i < 25; i++)
                {
                    store.Add($"host-{thread}-{i}", 22, "ssh-ed25519", TestKeys.FakeBlob());
                }
            });

            Assert.Equal(200, store.GetAll().Count);
            Assert.Empty(store.GetWarnings());
        }

        [Fact]
        public void ConcurrentAddsThroughSeparateStoreInstancesKeepEveryEntry()
        {
            // Separate instances share no monitor, so only the lock file keeps them apart,
            // exactly as between processes.
            var threads = Enumerable.Range(0, 8).Select(thread => new Thread(() =>
            {
                for (var i = 0; i < 20; i++)
                {
                    new KnownHostsStore(storePath).Add($"h{thread}x{i}", 2222, "ssh-ed25519", TestKeys.FakeBlob());
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.Equal(160, new KnownHostsStore(storePath).GetAll().Count);
        }

        [Fact]
        public void RacingAddsForOneHostLeaveExactlyOneEntry()
        {
            var store = new KnownHostsStore(storePath);

            Parallel.For(0, 32, _ => store.Add("host", 22, "ssh-ed25519", TestKeys.FakeBlob()));

            Assert.Single(store.GetAll());
        }

        [Fact]
        public async Task ReadersNeverSeeAHalfWrittenFile()
        {
            var store = new KnownHostsStore(storePath);
            store.Add("seed", 22, "ssh-ed25519", TestKeys.FakeBlob());
            var failures = new ConcurrentQueue<string>();
            using var stop = new CancellationTokenSource();

            var reader = Task.Run(() =>
            {
                var last = 0;
                while (!stop.IsCancellationRequested)
                {
                    var count = new KnownHostsStore(storePath).GetAll().Count;
                    if (count < last)
                    {
                        failures.Enqueue($"count went from {last} to {count}");
                    }

                    if (new KnownHostsStore(storePath).GetWarnings().Count > 0)
                    {
                        failures.Enqueue("a torn line was seen");
                    }

                    last = count;
                }
            });
            Parallel.For(0, 100, i => store.Add("h" + i, 22, "ssh-ed25519", TestKeys.FakeBlob()));
            stop.Cancel();
            await reader;

            Assert.Empty(failures);
            Assert.Equal(101, store.GetAll().Count);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(storePath), "*.tmp"));
        }

        [Fact]
        public void ALockHeldByAnotherProcessIsWaitedFor()
        {
            var store = new KnownHostsStore(storePath);
            store.Add("seed", 22, "ssh-ed25519", TestKeys.FakeBlob());

            using var holder = ExternalLock.Hold(storePath + ".lock", TimeSpan.FromSeconds(1.5));
            var clock = Stopwatch.StartNew();
            store.Add("late", 22, "ssh-ed25519", TestKeys.FakeBlob());

            Assert.True(clock.Elapsed > TimeSpan.FromSeconds(0.8), "Add did not wait for the other process: " + clock.Elapsed);
            Assert.Equal(2, store.GetAll().Count);
        }

        [Fact]
        public void ALockHeldTooLongGivesAClearErrorNamingTheLockFile()
        {
            var store = new KnownHostsStore(storePath, null, TimeSpan.FromMilliseconds(300));
            store.Add("seed", 22, "ssh-ed25519", TestKeys.FakeBlob());

            using var holder = ExternalLock.Hold(storePath + ".lock", TimeSpan.FromSeconds(3));
            var error = Assert.Throws<IOException>(() => store.Add("late", 22, "ssh-ed25519", TestKeys.FakeBlob()));

            Assert.Contains(storePath + ".lock", error.Message);
            Assert.Single(store.GetAll());
        }
    }
}
