using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Audit
{
    public sealed class AuditLogTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();
        private readonly string path;

        public AuditLogTests()
        {
            path = Path.Combine(temp.Path, "state", "RemoteOps", "audit.jsonl");
        }

        public void Dispose() => temp.Dispose();

        private static AuditRecord Record(string detail = "d", DateTimeOffset? time = null, string correlationId = null)
        {
            return new AuditRecord
            {
                Time = time ?? DateTimeOffset.UtcNow,
                User = "jo",
                Target = "vpn01",
                Action = "Set-RoVpnPolicy",
                Outcome = "Succeeded",
                Detail = detail,
                CorrelationId = correlationId,
            };
        }

        [Fact]
        [System.Runtime.Versioning.SupportedOSPlatform("linux")]
        public void AppendCreatesTheFolderAndAnOwnerOnlyFile()
        {
            new AuditLog(path).Append(Record());

            Assert.True(File.Exists(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        [Fact]
        public void AppendAllWritesEveryRecordInOrderAfterWhatIsThere()
        {
            var log = new AuditLog(path);
            log.Append(Record("before"));

            log.AppendAll(Enumerable.Range(1, 64).Select(i => Record("host " + i.ToString(CultureInfo.InvariantCulture))).ToList());

            var details = log.Read().Select(r => r.Detail).ToList();
            Assert.Equal(65, details.Count);
            Assert.Equal("before", details[0]);
            Assert.Equal("host 64", details[64]);
            Assert.Equal(66, File.ReadAllText(path).Split('\n').Length);
        }

        [Fact]
        public void AppendAllWritesNothingWhenOneRecordIsIncomplete()
        {
            var log = new AuditLog(path);
            var incomplete = Record("second");
            incomplete.Outcome = " ";

            Assert.Throws<ArgumentException>(() => log.AppendAll(new[] { Record("first"), incomplete }));
            Assert.Empty(log.Read());
            log.AppendAll(new AuditRecord[0]);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void EachRecordIsOneJSONLineWithCamelCaseNames()
        {
            var log = new AuditLog(path);
            var time = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234567);

            log.Append(Record("multi\nline\r\ndetail", time, "c-1"));
            log.Append(Record(null));

            var lines = File.ReadAllText(path).Split('\n');
            Assert.Equal(3, lines.Length);
            Assert.Equal(string.Empty, lines[2]);
            var first = JObject.Parse(lines[0]);
            Assert.Equal(new[] { "time", "user", "target", "action", "outcome", "detail", "correlationId" }, first.Properties().Select(p => p.Name));
            Assert.StartsWith("{\"time\":\"2025-03-04T03:06:07.1234567Z\",", lines[0]);
            Assert.Equal("multi\nline\r\ndetail", (string)first["detail"]);
            var second = JObject.Parse(lines[1]);
            Assert.Null(second["detail"]);
            Assert.Null(second["correlationId"]);
        }

        [Fact]
        public void ReadReturnsWhatWasAppendedInOrder()
        {
            var log = new AuditLog(path);
            var time = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5));
            log.Append(Record("first", time, "c-1"));
            log.Append(Record("zweite \u00fc \u05e9 \ud83d\ude00", time.AddMinutes(1)));

            var records = log.Read().ToList();

            Assert.Equal(2, records.Count);
            Assert.Equal(time, records[0].Time);
            Assert.Equal(TimeSpan.Zero, records[0].Time.Offset);
            Assert.Equal("jo", records[0].User);
            Assert.Equal("vpn01", records[0].Target);
            Assert.Equal("Set-RoVpnPolicy", records[0].Action);
            Assert.Equal("Succeeded", records[0].Outcome);
            Assert.Equal("first", records[0].Detail);
            Assert.Equal("c-1", records[0].CorrelationId);
            Assert.Equal("zweite \u00fc \u05e9 \ud83d\ude00", records[1].Detail);
            Assert.Null(records[1].CorrelationId);
        }

        [Fact]
        public void ReadSinceReturnsRecordsAtOrAfterTheTime()
        {
            var log = new AuditLog(path);
            var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 5; i++)
            {
                log.Append(Record(i.ToString(CultureInfo.InvariantCulture), start.AddHours(i)));
            }

            Assert.Equal(new[] { "2", "3", "4" }, log.Read(start.AddHours(2)).Select(r => r.Detail));
            Assert.Equal(new[] { "2", "3", "4" }, log.Read(start.AddHours(2).ToOffset(TimeSpan.FromHours(9))).Select(r => r.Detail));
            Assert.Empty(log.Read(start.AddDays(1)));
        }

        [Fact]
        public void ReadOfAMissingLogIsEmpty()
        {
            Assert.Empty(new AuditLog(path).Read());
        }

        [Fact]
        public void ATornLastLineIsSkippedAndTheNextAppendStartsANewLine()
        {
            var log = new AuditLog(path);
            log.Append(Record("1"));
            log.Append(Record("2"));
            File.AppendAllText(path, "{\"time\":\"2025-01-01T00:00:00Z\",\"user\":\"j");

            Assert.Equal(new[] { "1", "2" }, log.Read().Select(r => r.Detail));

            log.Append(Record("3"));

            Assert.Equal(new[] { "1", "2", "3" }, log.Read().Select(r => r.Detail));
        }

        [Fact]
        public void CorruptLinesAreSkipped()
        {
            var log = new AuditLog(path);
            log.Append(Record("good-1"));
            File.AppendAllText(path, "garbage\n[]\n{}\n{\"time\":\"not a date\",\"action\":\"x\"}\n{\"time\":\"2025-01-01T00:00:00Z\"} {}\n\n\u0000\u0001\n");
            File.AppendAllBytes(path, new byte[] { 0xFF, 0xFE, 0x0A });
            log.Append(Record("good-2"));

            Assert.Equal(new[] { "good-1", "good-2" }, log.Read().Select(r => r.Detail));
        }

        [Fact]
        public void DamagedLinesAreReportedByNumberBlankLinesAreNot()
        {
            var log = new AuditLog(path);
            log.Append(Record("good-1"));
            File.AppendAllText(path, "garbage\n\n{}\n");
            log.Append(Record("good-2"));
            File.AppendAllText(path, "{\"time\":\"2025-01-01T00:00:00Z\",\"act");
            var damaged = new List<long>();

            var details = log.Read(null, damaged.Add).Select(r => r.Detail).ToList();

            Assert.Equal(new[] { "good-1", "good-2" }, details);
            Assert.Equal(new long[] { 2, 4, 6 }, damaged);
        }

        [Fact]
        public void AWritableLogPassesTheCheckAndIsCreatedOwnerOnly()
        {
            var log = new AuditLog(path);

            log.CheckWritable();

            Assert.True(File.Exists(path));
            Assert.Equal(0, new FileInfo(path).Length);
            log.Append(Record("after check"));
            Assert.Equal("after check", log.Read().Single().Detail);
        }

        [Fact]
        public void ALogWhoseFolderIsAFileFailsTheCheckNamingThePath()
        {
            var blocker = Path.Combine(temp.Path, "blocker");
            File.WriteAllText(blocker, "not a folder");
            var log = new AuditLog(Path.Combine(blocker, "audit.jsonl"));

            var error = Assert.ThrowsAny<IOException>(() => log.CheckWritable());

            Assert.Contains(log.Path, error.Message);
            Assert.Contains("cannot be written", error.Message);
        }

        [Fact]
        public void ALogPathThatIsADirectoryFailsTheCheck()
        {
            Directory.CreateDirectory(path);

            var error = Assert.ThrowsAny<IOException>(() => new AuditLog(path).CheckWritable());

            Assert.Contains("directory", error.Message);
        }

        [Fact]
        public void ADeviceFailsTheCheck()
        {
            if (!File.Exists("/dev/full"))
            {
                return;
            }

            var error = Assert.ThrowsAny<IOException>(() => new AuditLog("/dev/full").CheckWritable());

            Assert.Contains("not a regular file", error.Message);
        }

        [Fact]
        public void ARecordShownOnAConsoleCarriesNoControlCharacters()
        {
            var record = new AuditRecord
            {
                User = "jo",
                Target = "gw1\u001b[2J",
                Action = "Invoke-RoSshCommand",
                Outcome = "Succeeded",
                Detail = "printf '\u001b]0;owned\u0007'\r\nfake line",
            };

            var shown = record.WithControlCharactersShown();

            Assert.Equal("gw1\\u001b[2J", shown.Target);
            Assert.Equal("printf '\\u001b]0;owned\\u0007'\\r\\nfake line", shown.Detail);
            Assert.Equal(record.Time, shown.Time);
            Assert.Equal("jo", shown.User);
        }

        [Fact]
        public void ReadHandlesRecordsAcrossChunkBoundaries()
        {
            var log = new AuditLog(path);
            var details = Enumerable.Range(0, 1500).Select(i => i + ":" + new string('x', i % 300)).ToList();
            foreach (var detail in details)
            {
                log.Append(Record(detail));
            }

            Assert.True(new FileInfo(path).Length > 3 * 64 * 1024);
            Assert.Equal(details, log.Read().Select(r => r.Detail));
        }

        [Fact]
        public void ASlowReaderDoesNotBlockWriters()
        {
            var log = new AuditLog(path);
            for (var i = 0; i < 3; i++)
            {
                log.Append(Record(i.ToString(CultureInfo.InvariantCulture)));
            }

            using var reading = log.Read().GetEnumerator();
            Assert.True(reading.MoveNext());

            new AuditLog(path, TimeSpan.FromMilliseconds(200)).Append(Record("written while reading"));

            Assert.Equal(4, log.Read().Count());
        }

        [Theory]
        [InlineData(null, "vpn01", "a", "ok", "User")]
        [InlineData("jo", "", "a", "ok", "Target")]
        [InlineData("jo", "vpn01", " ", "ok", "Action")]
        [InlineData("jo", "vpn01", "a", null, "Outcome")]
        public void AppendRejectsARecordWithoutWhoWhatWhichOrHow(string user, string target, string action, string outcome, string missing)
        {
            var log = new AuditLog(path);

            var error = Assert.Throws<ArgumentException>(() => log.Append(new AuditRecord { User = user, Target = target, Action = action, Outcome = outcome }));

            Assert.Contains(missing, error.Message);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void ConstructorAndAppendRejectNulls()
        {
            Assert.Throws<ArgumentException>(() => new AuditLog(null));
            Assert.Throws<ArgumentException>(() => new AuditLog(""));
            Assert.Throws<ArgumentNullException>(() => new AuditLog(path).Append(null));
        }

        [Fact]
        public void RecordTimeIsHeldInUTC()
        {
            var record = new AuditRecord { Time = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.FromHours(3)) };

            Assert.Equal(TimeSpan.Zero, record.Time.Offset);
            Assert.Equal(9, record.Time.Hour);
        }

        [Fact]
        public void SixteenThreadsAppending200RecordsEachLeaveExactly3200ValidLines()
        {
            var shared = new AuditLog(path);
            var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();

            var threads = Enumerable.Range(0, 16).Select(thread => new Thread(() =>
            {
                // Half share one instance, half have their own: one FileStream per append either way.
                var log = thread % 2 == 0 ? shared : new AuditLog(path);
                try
                {
                    for (var i = 0; i < 200; i++)
                    {
                        log.Append(Record($"{thread}:{i}:" + new string('p', 500)));
                    }
                }
                catch (Exception error)
                {
                    // Reported by the assertion below: an exception escaping a thread would end the whole test run.
                    failures.Enqueue(error);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.Empty(failures);
            AssertExactlyOnce(Enumerable.Range(0, 16).SelectMany(t => Enumerable.Range(0, 200).Select(i => $"{t}:{i}")));
        }

        [Fact]
        public void ALockHeldByAnotherProcessIsWaitedFor()
        {
            var log = new AuditLog(path);
            log.Append(Record("before"));

            using (ExternalLock.Hold(path, TimeSpan.FromSeconds(1.5)))
            {
                var clock = Stopwatch.StartNew();
                log.Append(Record("after"));
                Assert.True(clock.Elapsed > TimeSpan.FromSeconds(0.8), "Append did not wait for the other process: " + clock.Elapsed);
            }

            Assert.Equal(new[] { "before", "after" }, log.Read().Select(r => r.Detail));
        }

        [Fact]
        public void ALockHeldTooLongGivesAClearErrorNamingTheLog()
        {
            var log = new AuditLog(path, TimeSpan.FromMilliseconds(300));
            log.Append(Record("before"));

            using (ExternalLock.Hold(path, TimeSpan.FromSeconds(3)))
            {
                var error = Assert.Throws<IOException>(() => log.Append(Record("lost")));
                Assert.Contains(path, error.Message);
                Assert.Contains("audit log", error.Message);
            }
        }

        [Fact]
        public async Task SeveralProcessesAndThreadsAppendingAtOnceLoseNothing()
        {
            const int processes = 3;
            const int perProcess = 150;
            var root = RepositoryRoot();
            var dll = typeof(AuditLog).Assembly.Location;
            var go = temp.File("go");
            var script = temp.File("append.ps1");
            File.WriteAllText(script, string.Join("\n",
                "param($Dll, $Log, $Name, $Count, $Go)",
                "$ErrorActionPreference = 'Stop'",
                "Add-Type -Path $Dll",
                "$audit = [RemoteOps.Core.Audit.AuditLog]::new($Log)",
                "New-Item -ItemType File -Path \"$Go.$Name\" | Out-Null",
                "while (-not (Test-Path $Go)) { Start-Sleep -Milliseconds 5 }",
                "for ($i = 0; $i -lt $Count; $i++) {",
                "  $r = [RemoteOps.Core.Audit.AuditRecord]::new()",
                "  $r.User = $Name; $r.Target = 'host'; $r.Action = 'Test'; $r.Outcome = 'Succeeded'; $r.Detail = \"${Name}:${i}\"",
                "  $audit.Append($r)",
                "}"));

            var children = Enumerable.Range(0, processes).Select(p => Task.Run(() => ProcessRunner.Run(
                "dotnet",
                new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", script, "-Dll", dll, "-Log", path, "-Name", "p" + p, "-Count", perProcess.ToString(CultureInfo.InvariantCulture), "-Go", go },
                root,
                TimeSpan.FromMinutes(3)))).ToList();

            var clock = Stopwatch.StartNew();
            while (Enumerable.Range(0, processes).Any(p => !File.Exists(go + ".p" + p)))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "The pwsh children did not start: " + string.Join(" | ", children.Where(c => c.IsCompleted).Select(c => c.Result.StandardError)));
                Thread.Sleep(20);
            }

            File.WriteAllText(go, string.Empty);
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                var log = new AuditLog(path);
                for (var i = 0; i < perProcess; i++)
                {
                    log.Append(Record($"t{t}:{i}"));
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            await Task.WhenAll(children);

            Assert.All(children, c => Assert.True(c.Result.ExitCode == 0, c.Result.StandardError + Encoding.UTF8.GetString(c.Result.StandardOutput)));
            var expected = Enumerable.Range(0, processes).SelectMany(p => Enumerable.Range(0, perProcess).Select(i => $"p{p}:{i}"))
                .Concat(Enumerable.Range(0, 4).SelectMany(t => Enumerable.Range(0, perProcess).Select(i => $"t{t}:{i}")));
            AssertExactlyOnce(expected);
        }

        private void AssertExactlyOnce(IEnumerable<string> expectedKeys)
        {
            var expected = expectedKeys.ToList();
            var lines = File.ReadAllText(path).Split('\n');
            Assert.Equal(string.Empty, lines[lines.Length - 1]);
            Assert.Equal(expected.Count, lines.Length - 1);
            var keys = lines.Take(lines.Length - 1).Select(line =>
            {
                Assert.True(AuditLog.TryParse(line, out var record), "Not a valid record: " + line);
                var parts = record.Detail.Split(':');
                return parts[0] + ":" + parts[1];
            }).ToList();
            Assert.Equal(expected.OrderBy(k => k, StringComparer.Ordinal), keys.OrderBy(k => k, StringComparer.Ordinal));
        }

        private static string RepositoryRoot()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory != null && !File.Exists(Path.Combine(directory.FullName, ".config", "dotnet-tools.json")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("The repository root (with .config/dotnet-tools.json pinning pwsh) was not found above " + AppContext.BaseDirectory);
        }
    }
}
