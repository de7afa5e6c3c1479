using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Vpn.Ocserv;

namespace RemoteOps.Core.Tests.Vpn.Ocserv
{
    /// <summary>One command the driver sent.</summary>
    internal sealed class RecordedCall
    {
        public RecordedCall(string commandLine, string standardInput, bool privileged = false)
        {
            Privileged = privileged;
            CommandLine = commandLine;
            StandardInput = standardInput;
            Words = ShellWords.Split(commandLine);
        }

        public string CommandLine { get; }

        /// <summary>Sent with RunPrivilegedAsync: one program, under sudo for a non-root account.</summary>
        public bool Privileged { get; }

        public string StandardInput { get; }

        public List<string> Words { get; }

        public string Program => Words.Count > 0 ? Words[0] : string.Empty;

        public override string ToString() => CommandLine;
    }

    /// <summary>
    /// An ocserv host behind a fake shell: files in a dictionary, ocpasswd and the group
    /// rewrite simulated as ocpasswd 1.1.6 behaves (lock prefix '!', re-set rewrites the line,
    /// FILE.tmp as a lock, rc 0 for missing users), occtl answering canned 1.1.6 output.
    /// Records every command line and standard input, and how many ran at once.
    /// </summary>
    internal sealed class FakeOcservShell : IRemoteShell
    {
        private readonly List<RecordedCall> calls = new List<RecordedCall>();
        private readonly object gate = new object();
        private int running;
        private int maxRunning;
        private int hashes;

        public string Host { get; set; } = "admin@vpn1.lab.test:22";

        public ConcurrentDictionary<string, string> Files { get; } = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        public string ServerInfo { get; set; } = "name=vpn1\noffset=+0200\nversion=ocserv 1.1.6\n";

        public string StatusOutput { get; set; } = OcservSamples.Status;

        public int StatusExitCode { get; set; }

        public string UsersOutput { get; set; } = OcservSamples.Users;

        public Func<string, SshCommandOutput> ShowId { get; set; }

        public Func<string, SshCommandOutput> DisconnectUser { get; set; } = user => Output(1, "could not disconnect user '" + user + "'\n", string.Empty);

        public Func<string, SshCommandOutput> DisconnectId { get; set; } = id => Output(0, "connection ID '" + id + "' was disconnected\n", string.Empty);

        /// <summary>Answers first when it returns non-null (fault injection).</summary>
        public Func<RecordedCall, SshCommandOutput> Intercept { get; set; }

        /// <summary>ocpasswd answers success without changing the file.</summary>
        public bool OcpasswdIgnoresWrites { get; set; }

        /// <summary>Time each command takes, so that overlapping calls would be seen.</summary>
        public TimeSpan Delay { get; set; }

        public bool Disposed { get; private set; }

        public IReadOnlyList<RecordedCall> Calls
        {
            get
            {
                lock (gate)
                {
                    return calls.ToList();
                }
            }
        }

        public int MaxConcurrentCalls => Volatile.Read(ref maxRunning);

        public string LastOcctlSocket { get; private set; }

        public static SshCommandOutput Output(int exitCode, string output, string error) => new SshCommandOutput(exitCode, output, error, false);

        public void ClearCalls()
        {
            lock (gate)
            {
                calls.Clear();
            }
        }

        public Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, CancellationToken cancellationToken)
            => RunCoreAsync(commandLine, standardInput, false, cancellationToken);

        public Task<SshCommandOutput> RunPrivilegedAsync(IReadOnlyList<string> command, string standardInput, CancellationToken cancellationToken)
            => RunCoreAsync(SshRemoteShell.PrivilegedCommandLine(command, useSudo: false), standardInput, true, cancellationToken);

        private async Task<SshCommandOutput> RunCoreAsync(string commandLine, string standardInput, bool privileged, CancellationToken cancellationToken)
        {
            int now = Interlocked.Increment(ref running);
            int seen;
            while (now > (seen = Volatile.Read(ref maxRunning)) && Interlocked.CompareExchange(ref maxRunning, now, seen) != seen)
            {
            }

            try
            {
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.Yield();
                }

                var call = new RecordedCall(commandLine, standardInput, privileged);
                lock (gate)
                {
                    calls.Add(call);
                }

                return Intercept?.Invoke(call) ?? Handle(call);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }

        public void Dispose() => Disposed = true;

        private SshCommandOutput Handle(RecordedCall call)
        {
            if (call.CommandLine == OcservCommands.ServerInfo)
            {
                return Output(0, ServerInfo, string.Empty);
            }

            List<string> w = call.Words;
            switch (call.Program)
            {
                case "test":
                    return Output(w.Count == 3 && w[1] == "-f" && Files.ContainsKey(w[2]) ? 0 : 1, string.Empty, string.Empty);
                case "cat":
                    return Files.TryGetValue(w[2], out string text)
                        ? Output(0, text, string.Empty)
                        : Output(1, string.Empty, "cat: " + w[2] + ": No such file or directory\n");
                case "ocpasswd":
                    return Ocpasswd(w, call.StandardInput);
                case "ln":
                case "cp":
                case "tee":
                case "mv":
                case "rm":
                    return FileTool(w, call.StandardInput);
                case "occtl":
                    return Occtl(w);
                default:
                    return Output(127, string.Empty, "sh: 1: " + call.Program + ": not found\n");
            }
        }

        private SshCommandOutput Ocpasswd(List<string> w, string input)
        {
            string file = null, group = null, mode = "set", user = null;
            for (int i = 1; i < w.Count; i++)
            {
                switch (w[i])
                {
                    case "-c": file = w[++i]; break;
                    case "-g": group = w[++i]; break;
                    case "-l": mode = "lock"; break;
                    case "-u": mode = "unlock"; break;
                    case "-d": mode = "delete"; break;
                    case "--": user = w[++i]; break;
                    default: user = w[i]; break;
                }
            }

            if (Files.ContainsKey(file + ".tmp"))
            {
                return Output(1, string.Empty, "file '" + file + ".tmp' is locked.\n");
            }

            bool exists = Files.TryGetValue(file, out string text);
            if (mode != "set" && !exists)
            {
                return Output(1, string.Empty, "Cannot open '" + file + "' for reading.\n");
            }

            string password = input == null ? null : input.Split('\n')[0];
            if (mode == "set" && string.IsNullOrEmpty(password))
            {
                return Output(1, string.Empty, "Please specify a password\n");
            }

            if (OcpasswdIgnoresWrites)
            {
                return Output(0, string.Empty, string.Empty);
            }

            // ocpasswd keeps only lines with a colon, rewrites the matching ones.
            var lines = (text ?? string.Empty).Split('\n').Where(l => l.Contains(':')).ToList();
            bool Mine(string line) => line.Substring(0, line.IndexOf(':')) == user;
            switch (mode)
            {
                case "set":
                    lines.RemoveAll(Mine);
                    lines.Add(user + ":" + (group ?? "*") + ":$5$fakesalt" + Interlocked.Increment(ref hashes) + "$" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password)).TrimEnd('='));
                    break;
                case "lock":
                    lines = lines.Select(l => Mine(l) ? Relock(l, true) : l).ToList();
                    break;
                case "unlock":
                    lines = lines.Select(l => Mine(l) ? Relock(l, false) : l).ToList();
                    break;
                case "delete":
                    lines.RemoveAll(Mine);
                    break;
            }

            Files[file] = string.Concat(lines.Select(l => l + "\n"));
            return Output(0, string.Empty, string.Empty);
        }

        private static string Relock(string line, bool locked)
        {
            string[] parts = line.Split(new[] { ':' }, 3);
            if (parts.Length < 3)
            {
                return line;
            }

            string hash = parts[2].TrimStart('!');
            return parts[0] + ":" + parts[1] + ":" + (locked ? "!" : string.Empty) + hash;
        }

        // The fixed commands of the group rewrite (OcservCommands.Lock ... Unlock), as coreutils answer.
        private SshCommandOutput FileTool(List<string> w, string input)
        {
            string Joined() => string.Join(" ", w);
            switch (w[0])
            {
                case "ln" when w.Count == 6 && w[1] == "-s" && w[2] == "-T" && w[3] == "--":
                    return Files.TryAdd(w[5], string.Empty)
                        ? Output(0, string.Empty, string.Empty)
                        : Output(1, string.Empty, "ln: failed to create symbolic link '" + w[5] + "': File exists\n");
                case "cp" when w.Count == 5 && w[1] == "-p" && w[2] == "--":
                    if (!Files.TryGetValue(w[3], out string source))
                    {
                        return Output(1, string.Empty, "cp: cannot stat '" + w[3] + "': No such file or directory\n");
                    }

                    Files[w[4]] = source;
                    return Output(0, string.Empty, string.Empty);
                case "tee" when w.Count == 3 && w[1] == "--":
                    if (!OcpasswdIgnoresWrites)
                    {
                        Files[w[2]] = input ?? string.Empty;
                    }

                    return Output(0, input ?? string.Empty, string.Empty);
                case "mv" when w.Count == 5 && w[1] == "-f" && w[2] == "--":
                    if (!Files.TryRemove(w[3], out string moved))
                    {
                        return Output(1, string.Empty, "mv: cannot stat '" + w[3] + "': No such file or directory\n");
                    }

                    Files[w[4]] = moved;
                    return Output(0, string.Empty, string.Empty);
                case "rm" when w.Count >= 3 && w[1] == "-f" && w[2] == "--":
                    foreach (string file in w.Skip(3))
                    {
                        Files.TryRemove(file, out _);
                    }

                    return Output(0, string.Empty, string.Empty);
                default:
                    return Output(2, string.Empty, "unexpected command: " + Joined() + "\n");
            }
        }

        private SshCommandOutput Occtl(List<string> w)
        {
            int i = 1;
            string socket = null;
            bool json = false;
            for (; i < w.Count && w[i].StartsWith("-", StringComparison.Ordinal); i++)
            {
                if (w[i] == "-s")
                {
                    socket = w[++i];
                }
                else if (w[i] == "--json")
                {
                    json = true;
                }
            }

            LastOcctlSocket = socket;
            string command = string.Join(" ", w.Skip(i));
            if (command == "show status")
            {
                return Output(StatusExitCode, json ? StatusOutput : "Status: online\n", string.Empty);
            }

            if (command == "show users")
            {
                return Output(0, UsersOutput, string.Empty);
            }

            if (command.StartsWith("show id ", StringComparison.Ordinal))
            {
                string id = w.Last();
                if (ShowId != null)
                {
                    return ShowId(id);
                }

                var all = (JArray)OcctlJson.Parse(UsersOutput);
                var match = new JArray(all.Where(u => (string)u["ID"] == id));
                return match.Count == 0 ? Output(2, "[\n]\n", string.Empty) : Output(0, match.ToString(), string.Empty);
            }

            if (command.StartsWith("disconnect user ", StringComparison.Ordinal))
            {
                return DisconnectUser(w.Last());
            }

            if (command.StartsWith("disconnect id ", StringComparison.Ordinal))
            {
                return DisconnectId(w.Last());
            }

            return Output(1, string.Empty, "unknown command\n");
        }
    }
}
